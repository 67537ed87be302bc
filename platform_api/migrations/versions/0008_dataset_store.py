"""dataset versions live in the content-addressed store: their packs, the bytes they added, what changed against
the version they were built on, and when they were archived

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('datasets') as batch:
        batch.add_column(sa.Column('packs', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('stored_bytes', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('changes', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('base_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))
        batch.create_foreign_key('fk_datasets_base_id', 'datasets', ['base_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('datasets') as batch:
        batch.drop_constraint('fk_datasets_base_id', type_='foreignkey')
        for column in ('archived_at', 'base_id', 'changes', 'stored_bytes', 'packs'):
            batch.drop_column(column)
