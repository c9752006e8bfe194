"""``python -m gnews_i18n.cli``: what the demo and the tests start as subprocesses."""

from gnews_i18n.cli import main

main()
