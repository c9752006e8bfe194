"""The declarative base all tables share (one metadata, one migration chain)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase

# Every key and stored number is an INTEGER column, 32-bit on PostgreSQL (decision 0030): the doors refuse
# a larger one instead of letting the driver overflow.
MAX_KEY = 2**31 - 1


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass
