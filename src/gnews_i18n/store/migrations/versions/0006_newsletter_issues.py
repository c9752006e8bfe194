"""newsletter issues: issues, their ordered articles, e-mail deliveries

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'issues',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('titles', sa.JSON(), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('release_at', sa.DateTime(), nullable=True),
        sa.Column('released_at', sa.DateTime(), nullable=True),
        sa.Column('released_by', sa.String(length=100), nullable=True),
        sa.Column('missing_reason', sa.Text(), nullable=True),
        sa.Column('missing', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )
    op.create_table(
        'issue_articles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issue_id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('issue_id', 'article_id'),
    )
    op.create_index('ix_issue_articles_issue_id', 'issue_articles', ['issue_id'])
    op.create_table(
        'issue_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issue_id', sa.Integer(), nullable=False),
        sa.Column('recipient', sa.String(length=320), nullable=False),
        sa.Column('lang', sa.String(length=8), nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('issue_id', 'recipient'),
    )
    op.create_index('ix_issue_deliveries_issue_id', 'issue_deliveries', ['issue_id'])


def downgrade() -> None:
    op.drop_index('ix_issue_deliveries_issue_id', table_name='issue_deliveries')
    op.drop_table('issue_deliveries')
    op.drop_index('ix_issue_articles_issue_id', table_name='issue_articles')
    op.drop_table('issue_articles')
    op.drop_table('issues')
