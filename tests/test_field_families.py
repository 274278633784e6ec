"""One field family per entity: every layer that stores or prints an entity holds the family's fields."""

import pytest

from app.api import schemas
from app.programme_files import reading
from app.scheduling import fields, programme
from app.store import models

STORAGE_ONLY = {"id", "festival_id", "key", "revision", "schedule_revision", "uid_slug", "created_at", "updated_at"}


@pytest.mark.parametrize(
    ("base", "table", "extra"),
    [
        (fields.FestivalBase, models.Festival, {"slug"}),
        (fields.VenueBase, models.Venue, set()),
        (fields.FilmBase, models.Film, set()),
        # a screening's films are stored in their own table (screening_film), in showing order
        (fields.ScreeningBase, models.Screening, set()),
    ],
    ids=["festival", "venue", "film", "screening"],
)
def test_each_table_stores_exactly_its_family(base, table, extra):
    columns = set(table.model_fields) - STORAGE_ONLY
    expected = set(base.model_fields) | extra
    if table is models.Screening:
        expected -= {"films"}
    assert columns == expected


@pytest.mark.parametrize(
    ("base", "public"),
    [
        (schemas.FestivalCreate, schemas.FestivalPublic),
        (fields.VenueBase, schemas.VenuePublic),
        (fields.FilmBase, schemas.FilmPublic),
        (fields.ScreeningBase, schemas.ScreeningPublic),
    ],
    ids=["festival", "venue", "film", "screening"],
)
def test_create_update_and_public_bodies_come_from_the_family(base, public):
    update = {
        schemas.FestivalCreate: schemas.FestivalUpdate,
        fields.VenueBase: schemas.VenueUpdate,
        fields.FilmBase: schemas.FilmUpdate,
        fields.ScreeningBase: schemas.ScreeningUpdate,
    }[base]
    assert set(update.model_fields) == set(base.model_fields)
    assert all(not field.is_required() for field in update.model_fields.values())
    assert set(base.model_fields) <= set(public.model_fields)


@pytest.mark.parametrize(
    ("base", "entry"),
    [
        (fields.FestivalBase, reading._FestivalFields),
        (fields.VenueBase, reading._VenueFields),
        (fields.FilmBase, reading._FilmFields),
        (fields.ScreeningDetails, reading._ScreeningFields),
    ],
    ids=["festival", "venue", "film", "screening"],
)
def test_programme_file_entries_read_the_family_with_its_bounds(base, entry):
    assert issubclass(entry, base)


@pytest.mark.parametrize(
    ("base", "frozen"),
    [
        (fields.FestivalBase, programme.FestivalInfo),
        (fields.VenueBase, programme.VenueInfo),
        (fields.FilmBase, programme.FilmInfo),
        (fields.ScreeningDetails, programme.ScreeningInfo),
    ],
    ids=["festival", "venue", "film", "screening"],
)
def test_the_snapshot_a_version_freezes_holds_every_field(base, frozen):
    assert set(base.model_fields) <= set(frozen.model_fields)


def test_statuses_premieres_and_accessibility_are_one_enum_everywhere():
    assert programme.ScreeningInfo.model_fields["status"].annotation is fields.ScreeningStatus
    assert programme.FilmInfo.model_fields["premiere"].annotation is fields.Premiere
    assert fields.ScreeningBase.model_fields["status"].annotation is fields.ScreeningStatus
    assert {s.value for s in fields.ScreeningStatus} == {"draft", "confirmed", "cancelled"}
