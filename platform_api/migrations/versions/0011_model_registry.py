"""the model registry: registered versions with their lineage, promotion policies and the aliases they guard, gate
decisions, the registry's history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'registry_versions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('model_name', sa.String(128), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.String(32), nullable=False),
        sa.Column('experiment_id', sa.String(64), nullable=False),
        sa.Column('job_id', sa.Integer(), sa.ForeignKey('jobs.id', ondelete='SET NULL'), nullable=True),
        sa.Column('dataset_id', sa.Integer(), sa.ForeignKey('datasets.id', ondelete='SET NULL'), nullable=True),
        sa.Column('dataset_name', sa.String(64), nullable=False),
        sa.Column('dataset_version', sa.Integer(), nullable=False),
        sa.Column('dataset_hash', sa.String(64), nullable=False),
        sa.Column('config_hash', sa.String(64), nullable=False),
        sa.Column('model_class', sa.String(128), nullable=True),
        sa.Column('factor_set', sa.String(80), nullable=True),
        sa.Column('factor_versions', sa.JSON(), nullable=False),
        sa.Column('source', sa.String(256), nullable=False),
        sa.Column('model_files', sa.JSON(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('registered_by', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('registered_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('model_name', 'version', name='uq_registry_version'),
    )
    op.create_index('ix_registry_versions_model_name', 'registry_versions', ['model_name'])
    op.create_index('ix_registry_versions_run_id', 'registry_versions', ['run_id'])
    op.create_table(
        'model_policies',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('description', sa.String(2048), nullable=False),
        sa.Column('thresholds', sa.JSON(), nullable=False),
        sa.Column('beats_champion', sa.JSON(), nullable=True),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_model_policies_name', 'model_policies', ['name'], unique=True)
    op.create_table(
        'model_policy_guards',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('policy_id', sa.Integer(), sa.ForeignKey('model_policies.id', ondelete='CASCADE'), nullable=False),
        sa.Column('model_name', sa.String(128), nullable=False),
        sa.Column('alias', sa.String(64), nullable=False),
        sa.UniqueConstraint('model_name', 'alias', name='uq_policy_guard'),
    )
    op.create_index('ix_model_policy_guards_policy_id', 'model_policy_guards', ['policy_id'])
    op.create_table(
        'model_gate_decisions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('model_name', sa.String(128), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('alias', sa.String(64), nullable=False),
        sa.Column('policy_id', sa.Integer(), sa.ForeignKey('model_policies.id', ondelete='SET NULL'), nullable=True),
        sa.Column('policy_name', sa.String(64), nullable=False),
        sa.Column('policy_snapshot', sa.JSON(), nullable=False),
        sa.Column('passed', sa.Boolean(), nullable=False),
        sa.Column('outcome', sa.String(16), nullable=False),
        sa.Column('checks', sa.JSON(), nullable=False),
        sa.Column('metrics', sa.JSON(), nullable=False),
        sa.Column('champion', sa.JSON(), nullable=True),
        sa.Column('override_reason', sa.Text(), nullable=True),
        sa.Column('note', sa.String(512), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('username', sa.String(64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_gate_decisions_model_version', 'model_gate_decisions', ['model_name', 'version'])
    op.create_table(
        'registry_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('action', sa.String(32), nullable=False),
        sa.Column('model_name', sa.String(128), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('alias', sa.String(64), nullable=True),
        sa.Column('policy_name', sa.String(64), nullable=True),
        sa.Column('decision_id', sa.Integer(), sa.ForeignKey('model_gate_decisions.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('username', sa.String(64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_registry_events_model', 'registry_events', ['model_name', 'id'])
    op.create_index('ix_registry_events_policy_name', 'registry_events', ['policy_name'])


def downgrade() -> None:
    op.drop_table('registry_events')
    op.drop_table('model_gate_decisions')
    op.drop_table('model_policy_guards')
    op.drop_table('model_policies')
    op.drop_table('registry_versions')
