"""privacy decisions: who allowed or redacted which personal identifier (by fingerprint), when

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'privacy_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('revision_number', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('location', sa.String(length=60), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('decided_by', sa.String(length=100), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_privacy_decisions_article_id', 'privacy_decisions', ['article_id'])
    op.create_index('ix_privacy_decisions_fingerprint', 'privacy_decisions', ['fingerprint'])


def downgrade() -> None:
    op.drop_index('ix_privacy_decisions_fingerprint', table_name='privacy_decisions')
    op.drop_index('ix_privacy_decisions_article_id', table_name='privacy_decisions')
    op.drop_table('privacy_decisions')
