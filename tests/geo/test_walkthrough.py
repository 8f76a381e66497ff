"""The README's "Loading the real geography" walkthrough, run command by command through the
Flask CLI: on the extracts in tests/fixtures/geo always, and on the full real files when they
are beside the repository (../shared/data/real-north-northamptonshire)."""

import os
import shlex
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engage.geo.lookup import area_index, gazetteer
from engage.geo.models import Area, AreaFigure
from tests.geo.fixtures import FIXTURES, ROTHWELL

ROOT = Path(__file__).resolve().parent.parent.parent
REAL = Path(
    os.environ.get("ENGAGE_REAL_DATA", ROOT.parent / "shared/data/real-north-northamptonshire")
)


def walkthrough() -> list[list[str]]:
    """The commands of the README's walkthrough, as the shell would split them."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Loading the real geography", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line, comments=True) for line in block.splitlines()]
    assert all(c[0] == "flask" for c in commands if c), "only flask commands in the walkthrough"
    return [c[1:] for c in commands if c]


def _run(runner, folder: Path, monkeypatch) -> list[str]:
    monkeypatch.chdir(folder)
    outputs = []
    for args in walkthrough():
        result = runner.invoke(args=args)
        assert result.exit_code == 0, f"flask {' '.join(args)}:\n{result.output}"
        outputs.append(result.output)
    return outputs


def _where_rothwell_is():
    return {s.code for s in area_index().areas_at(ROTHWELL[1], ROTHWELL[0])}


def test_the_readme_walkthrough_loads_the_extracts_end_to_end(runner, db_session, monkeypatch):
    outputs = _run(runner, FIXTURES, monkeypatch)
    assert len(outputs) == 10
    assert db_session.scalar(select(func.count(Area.id)).where(Area.level == "lsoa")) == 17
    assert _where_rothwell_is() == {"E01027126", "LAP-ROTHWELL"}
    rothwell = db_session.scalar(select(Area).where(Area.code == "E01027124"))
    assert (rothwell.imd_decile, rothwell.parent.name) == (3, "Rothwell")
    assert rothwell.population_under_25 and rothwell.population
    assert (
        db_session.scalar(
            select(func.count(AreaFigure.id)).where(AreaFigure.indicator == "iod2019:crime:decile")
        )
        == 13
    )
    assert "6 rows for areas not loaded skipped" in outputs[5]
    assert gazetteer().find("NN14 6").kind == "sector"
    assert gazetteer().find("NN14 6AA").kind == "postcode"


@pytest.mark.skipif(not REAL.is_dir(), reason="the real files are not beside the repository")
def test_the_readme_walkthrough_loads_the_full_real_files(
    runner, db_session, monkeypatch, tmp_path
):
    """The four districts' boundaries and the national IoD files as published; the files the
    shared folder does not have (our own grouping, File 7, mid-year estimates, postcodes) come
    from the fixtures."""
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    for path in REAL.iterdir():
        shutil.copy(path, tmp_path / path.name)
    outputs = _run(runner, tmp_path, monkeypatch)
    assert db_session.scalar(select(func.count(Area.id)).where(Area.level == "lsoa")) == 194
    with_decile = select(func.count(Area.id)).where(Area.imd_decile.is_not(None))
    assert db_session.scalar(with_decile) == 194
    assert "194 areas imported; 32650 rows for areas not loaded skipped" in outputs[5]
    assert _where_rothwell_is() == {"E01027126", "LAP-ROTHWELL"}
