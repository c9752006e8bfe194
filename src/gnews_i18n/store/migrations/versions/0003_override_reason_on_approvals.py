"""override reason on approvals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 23:07:58.059685
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.drop_column('override_reason')

