"""article photos: each figure's image (checked, without metadata) stored with its revision;
an edition's lead photo for issue pages and e-mails

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'article_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('media_type', sa.String(length=40), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['revision_id'], ['article_revisions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('revision_id', 'name'),
    )
    op.create_index('ix_article_photos_revision_id', 'article_photos', ['revision_id'])
    with op.batch_alter_table('editions') as batch:
        batch.add_column(sa.Column('lead_figure', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('editions') as batch:
        batch.drop_column('lead_figure')
    op.drop_index('ix_article_photos_revision_id', table_name='article_photos')
    op.drop_table('article_photos')
