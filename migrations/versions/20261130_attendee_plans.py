"""attendee plans

Revision ID: f4378eaa7e31
Revises: a57b393434e5
Create Date: 2026-11-30 10:24:00.203102
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.store.types

revision: str = 'f4378eaa7e31'
down_revision: str | None = 'a57b393434e5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plans of attendees (DESIGN.md: POST /api/festivals/{slug}/plans); only a hash of the token
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('festival_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('screening_ids', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', app.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['festival_id'], ['festival.id'], name=op.f('fk_plan_festival_id_festival'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_plan_token_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_festival_id'), ['festival_id'], unique=False)



def downgrade() -> None:
    # plans of attendees (DESIGN.md: POST /api/festivals/{slug}/plans); only a hash of the token
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_festival_id'))

    op.drop_table('plan')
