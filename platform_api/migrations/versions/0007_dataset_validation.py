"""dataset versions keep the validation report of their ingest

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('datasets', sa.Column('validation', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column('datasets', 'validation')
