"""The `marquee` command: tokens, loading and exporting programme folders, conflicts, publishing."""

import shutil
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.programme_files import read_programme_folder
from app.store.db import unit_of_work
from app.store.models import ApiToken, Festival, Screening

SAMPLE = Path(__file__).resolve().parent.parent / "sample_programme"
runner = CliRunner()


def marquee(*args: str, code: int = 0):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result


def count(model) -> int:
    with unit_of_work(write=False) as session:
        return len(session.exec(select(model)).all())


def test_token_create_prints_the_token_alone_and_stores_its_hash(database):
    result = marquee("token", "create", "--role", "programmer", "--name", "box office")
    token = result.stdout.strip()
    assert token.startswith("mq_") and "\n" not in token
    with unit_of_work(write=False) as session:
        stored = session.exec(select(ApiToken)).one()
    assert (stored.role, stored.name) == ("programmer", "box office")
    assert token != stored.token_hash
    assert "box office" in marquee("token", "list").stdout
    marquee("token", "revoke", str(stored.id))
    marquee("token", "create", "--role", "owner", code=2)


def test_load_twice_changes_nothing_and_export_round_trips(database, tmp_path):
    marquee("load", str(SAMPLE))
    with unit_of_work(write=False) as session:
        before = [(s.id, s.revision) for s in session.exec(select(Screening).order_by(Screening.id))]
    second = marquee("load", str(SAMPLE))
    assert "0 created, 0 updated" in second.output
    with unit_of_work(write=False) as session:
        after = [(s.id, s.revision) for s in session.exec(select(Screening).order_by(Screening.id))]
    assert before == after
    marquee("export", "wiesbaden-2021", str(tmp_path / "out"))
    for name in ("festival.yaml", "venues.yaml", "films.yaml", "screenings.csv"):
        assert (tmp_path / "out" / name).read_text() == (SAMPLE / name).read_text(), name
    assert read_programme_folder(tmp_path / "out") == read_programme_folder(SAMPLE)


def test_the_sample_festival_has_no_error_conflicts(database):
    marquee("load", str(SAMPLE))
    result = marquee("conflicts", "wiesbaden-2021")
    assert "error" not in result.stdout.replace("0 errors", "")


@pytest.mark.parametrize(
    ("name", "broken", "message"),
    [
        ("films.yaml", ("runtime_minutes: 120", "runtime_minutes: -5"), "films.yaml line"),
        ("screenings.csv", ("caligari", "nowhere"), "screenings.csv line"),
    ],
    ids=["negative_runtime", "unknown_venue"],
)
def test_a_bad_file_names_file_and_line_and_loads_nothing(database, tmp_path, name, broken, message):
    folder = tmp_path / "programme"
    shutil.copytree(SAMPLE, folder)
    path = folder / name
    path.write_text(path.read_text().replace(*broken, 1))
    result = marquee("load", str(folder), code=2)
    assert message in result.output
    assert "nothing was loaded" in result.output
    assert count(Festival) == 0


def test_confirmed_screenings_in_conflict_are_refused_as_a_whole(database, tmp_path):
    folder = tmp_path / "programme"
    shutil.copytree(SAMPLE, folder)
    rows = (folder / "screenings.csv").read_text().splitlines()
    # the first screening again, 30 minutes later in the same venue: overlapping confirmed screenings
    first_start = rows[1].split(",", 1)[0]
    later = first_start[:-2] + "30"
    assert later != first_start
    rows.append(rows[1][: rows[1].rfind(",") + 1].replace(first_start, later, 1))
    (folder / "screenings.csv").write_text("\n".join(rows) + "\n")
    result = marquee("load", str(folder), code=2)
    assert "nothing was loaded" in result.output
    assert count(Festival) == 0


def test_publish_then_publish_again_makes_one_version(database):
    marquee("load", str(SAMPLE))
    assert "published version 1" in marquee("publish", "wiesbaden-2021").output
    assert "nothing changed since version 1" in marquee("publish", "wiesbaden-2021").output
    marquee("publish", "no-such-festival", code=2)


def test_print_writes_the_published_programme_as_pdf(database, tmp_path):
    from pypdf import PdfReader

    marquee("load", str(SAMPLE))
    marquee("print", "wiesbaden-2021", "--output", str(tmp_path / "x.pdf"), code=2)  # not published yet
    marquee("publish", "wiesbaden-2021")
    marquee("print", "wiesbaden-2021", "--by", "day", "--output", str(tmp_path / "programme.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "programme.pdf").pages)
    assert "Dear Comrades!" in text
    assert "Летят журавли" in text


def test_conflicts_table_exits_1_when_a_draft_holds_an_error(database, tmp_path):
    folder = tmp_path / "programme"
    shutil.copytree(SAMPLE, folder)
    rows = (folder / "screenings.csv").read_text().splitlines()
    first_start = rows[1].split(",", 1)[0]
    copied = rows[1][: rows[1].rfind(",") + 1]  # a copied row without its key
    rows.append(copied.replace(first_start, first_start[:-2] + "30", 1).replace(",confirmed,", ",draft,"))
    (folder / "screenings.csv").write_text("\n".join(rows) + "\n")
    marquee("load", str(folder))
    result = runner.invoke(cli, ["conflicts", "wiesbaden-2021"], env={"COLUMNS": "80"})
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    text = " ".join(" ".join(line.strip("│┃ ").split()) for line in lines)
    assert "venue_over" in text  # the kind, folded into its narrow column
    assert "Wed 17 Nov" in text  # the day and time, not an id
    assert "1 conflicts, 1 errors" in result.stdout or "conflicts, " in result.stdout


def test_every_command_and_setting_is_documented_in_the_readme():
    from app.settings import Settings

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    commands = [f"marquee {c.name or c.callback.__name__}" for c in cli.registered_commands]
    commands += [f"{g.name} {c.name}" for g in cli.registered_groups for c in g.typer_instance.registered_commands]
    assert [c for c in commands if c not in readme] == []
    settings = [f"MARQUEE_{name.upper()}" for name in Settings.model_fields]
    assert [s for s in settings if s not in readme] == []


def test_programme_csv_and_export_agree(database, tmp_path, client):
    import csv
    import io

    import yaml

    marquee("load", str(SAMPLE))
    marquee("publish", "wiesbaden-2021")
    marquee("export", "wiesbaden-2021", str(tmp_path / "out"))
    venues = {v["key"]: v["name"] for v in yaml.safe_load((tmp_path / "out" / "venues.yaml").read_text())}
    films = {f["key"]: f["title"] for f in yaml.safe_load((tmp_path / "out" / "films.yaml").read_text())}
    exported = [
        (
            r["starts_at"],
            venues[r["venue"]],
            " + ".join(films[k] for k in r["films"].split(" + ")),
            r["status"],
            r["guests"],
            r["ticket_url"],
        )
        for r in csv.DictReader((tmp_path / "out" / "screenings.csv").open(encoding="utf-8"))
    ]
    printed = [
        (r["starts_at"], r["venue"], r["films"], r["status"], r["guests"], r["ticket_url"])
        for r in csv.DictReader(io.StringIO(client.get("/festivals/wiesbaden-2021/programme.csv").text))
    ]
    assert sorted(printed) == sorted(exported)
    assert len(printed) == 27


def test_a_large_folder_loads_with_a_progress_bar(database, tmp_path):
    folder = tmp_path / "programme"
    shutil.copytree(SAMPLE, folder)
    rows = (folder / "screenings.csv").read_text().splitlines()
    header, first = rows[0], rows[1].split(",")
    extra = [
        ",".join(
            [
                f"2021-11-{17 + n // 60} {10 + (n % 60) // 5:02d}:{(n % 5) * 12:02d}",
                "caligari",
                "boy-and-the-dove",
                *[""] * 5,
                "draft",
                *[""] * 4,
            ]
        )
        for n in range(300)
    ]
    assert len(first) == len(extra[0].split(","))
    (folder / "screenings.csv").write_text("\n".join([header, *extra]) + "\n")
    result = runner.invoke(cli, ["load", str(folder)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "loading screenings" in result.output
    assert "300 screenings in the folder" in result.output
