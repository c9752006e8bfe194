"""HTTP doors: the REST API (and, later, the reviewers' pages)."""
