"""screening keys: a stable name per screening in a programme folder

Revision ID: 5c2d7e91a0b4
Revises: f4378eaa7e31
Create Date: 2026-11-30 11:55:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '5c2d7e91a0b4'
down_revision: str | None = 'f4378eaa7e31'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.create_unique_constraint('uq_screening_festival_key', ['festival_id', 'key'])


def downgrade() -> None:
    with op.batch_alter_table('screening', schema=None) as batch_op:
        batch_op.drop_constraint('uq_screening_festival_key', type_='unique')
        batch_op.drop_column('key')
