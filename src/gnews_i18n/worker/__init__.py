"""The worker room: the Celery app (``app``), its thin tasks (``tasks``), one translation job
with a lease (``job``) and the recovery sweep (``recovery``).

Import the submodules directly; this package imports nothing, so the core that only needs
``job`` never pays for Celery's import.
"""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["app", "job", "recovery", "tasks"]
