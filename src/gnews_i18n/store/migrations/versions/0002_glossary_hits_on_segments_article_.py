"""glossary hits on segments, article glossaries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 22:14:31.294115
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('article_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('glossary', sa.Text(), nullable=True))

    with op.batch_alter_table('segments', schema=None) as batch_op:
        # existing segments get an empty list of hits
        batch_op.add_column(sa.Column('terms', sa.JSON(), nullable=False, server_default='[]'))

def downgrade() -> None:
    with op.batch_alter_table('segments', schema=None) as batch_op:
        batch_op.drop_column('terms')

    with op.batch_alter_table('article_revisions', schema=None) as batch_op:
        batch_op.drop_column('glossary')

