"""The newsletter: numbered issues released together in every language, by web and e-mail.

Plain Python over the store; the CLI and Celery tasks are thin doors into it.
"""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["delivery", "issues", "mail", "schedule", "site"]
