"""benchmarks: configs × seeds on one dataset version, their jobs and MLflow parent run

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:55:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'benchmarks',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(128), nullable=False),
        sa.Column('dataset_id', sa.Integer(), sa.ForeignKey('datasets.id', ondelete='SET NULL'), nullable=True),
        sa.Column('configs', sa.JSON(), nullable=False),
        sa.Column('seeds', sa.JSON(), nullable=False),
        sa.Column('experiment_name', sa.String(128), nullable=False),
        sa.Column('mlflow_experiment_id', sa.String(64), nullable=True),
        sa.Column('parent_run_id', sa.String(64), nullable=True),
        sa.Column('closed', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('benchmark_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('benchmark_entry', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_jobs_benchmark', 'benchmarks', ['benchmark_id'], ['id'], ondelete='SET NULL')
        batch.create_index('ix_jobs_benchmark_id', ['benchmark_id'])


def downgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.drop_index('ix_jobs_benchmark_id')
        batch.drop_constraint('fk_jobs_benchmark', type_='foreignkey')
        batch.drop_column('benchmark_entry')
        batch.drop_column('benchmark_id')
    op.drop_table('benchmarks')
