"""the factor library: factors with immutable versions, their evaluations, factor sets

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:05:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'factors',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('owner_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('latest_version', sa.Integer(), nullable=False),
        sa.Column('archived_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_factors_name', 'factors', ['name'], unique=True)
    op.create_table(
        'factor_versions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('factor_id', sa.Integer(), sa.ForeignKey('factors.id', ondelete='CASCADE'), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('expression', sa.String(4000), nullable=False),
        sa.Column('description', sa.String(2048), nullable=False),
        sa.Column('tags', sa.JSON(), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('lookback', sa.Integer(), nullable=True),
        sa.Column('lookahead', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('factor_id', 'version', name='uq_factor_version'),
    )
    op.create_index('ix_factor_versions_factor_id', 'factor_versions', ['factor_id'])
    op.create_table(
        'factor_evaluations',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('factor_version_id', sa.Integer(), sa.ForeignKey('factor_versions.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('dataset_id', sa.Integer(), sa.ForeignKey('datasets.id', ondelete='SET NULL'), nullable=True),
        sa.Column('dataset_hash', sa.String(64), nullable=False),
        sa.Column('market', sa.String(64), nullable=False),
        sa.Column('start', sa.Date(), nullable=True),
        sa.Column('end', sa.Date(), nullable=True),
        sa.Column('horizons', sa.JSON(), nullable=False),
        sa.Column('job_id', sa.Integer(), sa.ForeignKey('jobs.id', ondelete='SET NULL'), nullable=True),
        sa.Column('mlflow_run_id', sa.String(64), nullable=True),
        sa.Column('summary', sa.JSON(), nullable=False),
        sa.Column('result', sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql', 'mariadb'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_factor_evaluations_factor_version_id', 'factor_evaluations', ['factor_version_id'])
    op.create_index('ix_factor_evaluations_job_id', 'factor_evaluations', ['job_id'])
    op.create_table(
        'factor_sets',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('factor_version_ids', sa.JSON(), nullable=False),
        sa.Column('include_alpha158', sa.Boolean(), nullable=False),
        sa.Column('description', sa.String(2048), nullable=False),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('name', 'version', name='uq_factor_set_version'),
    )
    op.create_index('ix_factor_sets_name', 'factor_sets', ['name'])
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('factor_set_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_jobs_factor_set_id', 'factor_sets', ['factor_set_id'], ['id'], ondelete='SET NULL')
        batch.create_index('ix_jobs_factor_set_id', ['factor_set_id'])


def downgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.drop_index('ix_jobs_factor_set_id')
        batch.drop_constraint('fk_jobs_factor_set_id', type_='foreignkey')
        batch.drop_column('factor_set_id')
    for table in ('factor_sets', 'factor_evaluations', 'factor_versions', 'factors'):
        op.drop_table(table)
