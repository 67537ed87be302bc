"""where an evaluation's factor ranks are kept in the store, for the redundancy check of every host

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('factor_evaluations') as batch:
        batch.add_column(sa.Column('ranks_object', sa.String(160), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('factor_evaluations') as batch:
        batch.drop_column('ranks_object')
