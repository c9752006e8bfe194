"""subscribers: the newsletter's readers with their consent record, and an anonymous count of erasures

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'subscribers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('lang', sa.String(length=8), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('consent_at', sa.DateTime(), nullable=True),
        sa.Column('consent_method', sa.String(length=40), nullable=False),
        sa.Column('consent_source', sa.String(length=500), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('unsubscribed_at', sa.DateTime(), nullable=True),
        sa.Column('bounces', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('email'),
    )
    op.create_index('ix_subscribers_status', 'subscribers', ['status'])
    op.create_table(
        'subscriber_erasures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('erased_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('subscriber_erasures')
    op.drop_index('ix_subscribers_status', table_name='subscribers')
    op.drop_table('subscribers')
