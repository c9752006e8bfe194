"""The newsletter: numbered issues released together in every language, by web and e-mail.

Plain Python over the store; the CLI and Celery tasks are thin doors into it.
"""
