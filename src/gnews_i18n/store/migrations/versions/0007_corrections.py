"""corrections: a revision's correction note, the notices an edition shows

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('article_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction', sa.Text(), nullable=True))
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrections', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('corrections')
    with op.batch_alter_table('article_revisions', schema=None) as batch_op:
        batch_op.drop_column('correction')
