"""`flask areas …` and `flask geo …`: loading real geography as it is published. Big files
are read as a stream with a progress bar."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import click
from flask.cli import AppGroup

from engage.asset_map.locations import reassign_all_areas
from engage.geo import boundaries, figures, groupings, postcodes
from engage.geo.models import AreaLevel
from engage.importing import ImportFailed, report_failure

areas_cli = AppGroup("areas", help="Areas: LAPs, wards, LSOAs and their figures.")
geo_cli = AppGroup("geo", help="Place search data.")

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _fail(error: ImportFailed) -> NoReturn:
    report_failure(error, lambda line: click.echo(line, err=True))
    sys.exit(1)


class _Counted:
    """A binary file that moves a progress bar as it is read."""

    def __init__(self, handle: BinaryIO, advance: Callable[[int], Any]) -> None:
        self.handle, self.advance = handle, advance

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.advance(len(data))
        return data

    def __iter__(self) -> Iterator[bytes]:
        for line in self.handle:
            self.advance(len(line))
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.handle.seek(offset, whence)


@contextmanager
def _reading(path: Path, label: str) -> Iterator[Any]:
    with (
        path.open("rb") as handle,
        click.progressbar(length=path.stat().st_size, label=label, file=sys.stderr) as bar,
    ):
        yield _Counted(handle, bar.update)


@areas_cli.command("import")
@click.argument("path", type=FILE)
@click.option("--level", type=click.Choice(list(AreaLevel)), help="Found from ONS field names.")
@click.option("--code-field", help="Property with the area code; found for ONS naming (LSOA21CD).")
@click.option("--name-field", help="Property with the area name; found for ONS naming (LSOA21NM).")
@click.option("--crs", "system", help="For a file that declares none, e.g. EPSG:27700.")
def import_areas(
    path: Path, level: str | None, code_field: str | None, name_field: str | None, system: str
) -> None:
    """Import a boundary file (GeoJSON, in the coordinate system it declares); parents are
    found by containment."""
    try:
        with _reading(path, f"Reading {path.name}") as stream:
            result = boundaries.import_boundary_file(stream, level, code_field, name_field, system)
    except ImportFailed as error:
        _fail(error)
    fields = result.fields
    edition = f" ({fields.edition})" if fields.edition else ""
    placed = reassign_all_areas()
    click.echo(
        f"{fields.level.label}{edition} from {fields.code}/{fields.name or fields.code}, read "
        f"in {result.system}: {result.created} areas created, {result.changed} changed, "
        f"{result.repaired} boundaries repaired; {placed} locations placed in their areas again"
    )


@areas_cli.command("partnerships")
@click.argument("path", type=FILE)
def import_partnerships(path: Path) -> None:
    """Local Area Partnerships (or any grouping) from a CSV of ward code, area name: each
    boundary is the union of its wards."""
    try:
        with path.open("rb") as stream:
            result = groupings.import_groupings(stream)
    except ImportFailed as error:
        _fail(error)
    placed = reassign_all_areas()
    click.echo(
        f"{result.created} areas created and {result.changed} redrawn from {result.members} "
        f"{AreaLevel(result.member_level).label}s; {placed} locations placed in their areas again"
    )
    if result.left_out:
        shown = ", ".join(result.left_out[:10]) + (", …" if len(result.left_out) > 10 else "")
        click.echo(f"{len(result.left_out)} not in any of them: {shown}")


@areas_cli.command("figures")
@click.argument("path", type=FILE)
@click.option("--source", default="", help="Where the figures come from, shown beside them.")
def import_figures(path: Path, source: str) -> None:
    """Import figures by area code: the English Indices of Deprivation and ONS mid-year
    estimates as published, or a CSV of area_code, indicator, value."""
    try:
        with _reading(path, f"Reading {path.name}") as stream:
            result = figures.load_figures(stream, source, path.name)
    except ImportFailed as error:
        _fail(error)
    edition = f" (LSOA {result.edition} codes)" if result.edition else ""
    click.echo(
        f"{figures.SOURCES[result.layout] or 'Figures'}{edition}: {result.values} values for "
        f"{result.areas} areas imported; {result.skipped} rows for areas not loaded skipped"
    )
    if result.left_aside:
        click.echo(f"Columns left aside: {'; '.join(result.left_aside)}")


@geo_cli.command("postcodes")
@click.argument("path", type=FILE)
@click.option("--everywhere", is_flag=True, help="Keep postcodes far from the loaded areas too.")
def import_postcodes(path: Path, everywhere: bool) -> None:
    """Import full postcodes from the ONS Postcode Directory, the NSPL or Code-Point Open."""
    try:
        with _reading(path, f"Reading {path.name}") as stream:
            result = postcodes.load_postcodes(stream, everywhere)
    except ImportFailed as error:
        _fail(error)
    click.echo(
        f"{result.kept} postcodes imported; left out: {result.terminated} terminated, "
        f"{result.no_location} with no location, {result.far_away} far from the areas, "
        f"{result.not_postcodes} not postcodes"
    )
