"""The reviewers' web desk: server-rendered pages (Jinja2) with a little JavaScript."""
