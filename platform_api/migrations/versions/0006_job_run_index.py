"""jobs are found by their MLflow run (the dashboard's run page shows the job that made it)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:20:00
"""

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_jobs_mlflow_run_id', 'jobs', ['mlflow_run_id'])


def downgrade() -> None:
    op.drop_index('ix_jobs_mlflow_run_id', table_name='jobs')
