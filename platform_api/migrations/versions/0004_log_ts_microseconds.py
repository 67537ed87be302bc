"""log line timestamps keep microseconds on MySQL/MariaDB

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 14:30:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name in ("mysql", "mariadb"):  # SQLite keeps microseconds already
        op.alter_column('job_logs', 'ts', existing_type=sa.DateTime(), type_=mysql.DATETIME(fsp=6),
                        existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        op.alter_column('job_logs', 'ts', existing_type=mysql.DATETIME(fsp=6), type_=sa.DateTime(),
                        existing_nullable=False)
