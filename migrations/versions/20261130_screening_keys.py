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


# No batch mode: on SQLite it would copy the table and lose AUTOINCREMENT (ids must never be reused:
# a screening's id is its calendar UID). ADD COLUMN and a unique index need no copy.
def upgrade() -> None:
    op.add_column('screening', sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.create_index('uq_screening_festival_key', 'screening', ['festival_id', 'key'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_screening_festival_key', table_name='screening')
    op.drop_column('screening', 'key')
