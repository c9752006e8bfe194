"""terminology changes: the history of glossary and people-registry edits at the desk and API

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'terminology_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('file', sa.Text(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('row', sa.JSON(), nullable=False),
        sa.Column('author', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_terminology_changes_key', 'terminology_changes', ['key'])


def downgrade() -> None:
    op.drop_index('ix_terminology_changes_key', table_name='terminology_changes')
    op.drop_table('terminology_changes')
