"""schedule changes: what each schedule revision wrote, for other processes' caches to catch up

Revision ID: 9b3e6f1c2d40
Revises: 5c2d7e91a0b4
Create Date: 2026-11-30 13:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9b3e6f1c2d40'
down_revision: str | None = '5c2d7e91a0b4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('schedule_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('festival_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('screening_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['festival_id'], ['festival.id'], name=op.f('fk_schedule_change_festival_id_festival'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_change')),
    )
    op.create_index('ix_schedule_change_festival_revision', 'schedule_change', ['festival_id', 'revision'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_schedule_change_festival_revision', table_name='schedule_change')
    op.drop_table('schedule_change')
