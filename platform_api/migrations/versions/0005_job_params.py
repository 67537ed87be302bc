"""jobs carry their kind's payload fields (probe, market) in their own column

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:00:00
"""

import json

from alembic import op
import sqlalchemy as sa
import yaml


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('jobs', sa.Column('params', sa.JSON(), nullable=True))
    jobs = sa.table('jobs', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('config_text', sa.Text),
                    sa.column('params', sa.JSON))
    bind = op.get_bind()
    # probe jobs kept their settings as YAML in config_text ({"probe": {...}})
    for job_id, text in bind.execute(sa.select(jobs.c.id, jobs.c.config_text).where(jobs.c.kind == 'probe')):
        probe = (yaml.safe_load(text or '') or {}).get('probe') or {}
        bind.execute(jobs.update().where(jobs.c.id == job_id).values(params=json.loads(json.dumps(probe))))


def downgrade() -> None:
    op.drop_column('jobs', 'params')
