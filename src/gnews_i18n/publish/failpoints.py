"""Named points where a test can make the publishing process die (SIGKILL), to prove that
an interrupted publish leaves the site whole. Inactive unless GNEWS_FAILPOINT names one."""

from __future__ import annotations

import os
import signal


def failpoint(name: str) -> None:
    if os.environ.get("GNEWS_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
