"""`flask areas …` and `flask geo …`: loading real geography."""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from engage.asset_map.locations import reassign_all_areas
from engage.geo import importing
from engage.geo.models import AreaLevel
from engage.importing import ImportFailed, report_failure

areas_cli = AppGroup("areas", help="Areas: LAPs, wards, LSOAs and their figures.")
geo_cli = AppGroup("geo", help="Place search data.")


def _fail(error: ImportFailed) -> None:
    report_failure(error, lambda line: click.echo(line, err=True))
    sys.exit(1)


@areas_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--level", type=click.Choice(AreaLevel.ALL), required=True)
@click.option("--code-field", required=True, help="Property with the area code, e.g. LSOA21CD.")
@click.option("--name-field", required=True, help="Property with the area name, e.g. LSOA21NM.")
def import_areas(path: Path, level: str, code_field: str, name_field: str) -> None:
    """Import an ONS boundary file (GeoJSON, WGS84); parents are found by containment."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        click.echo(f"Nothing was imported: the file is not GeoJSON ({error})", err=True)
        sys.exit(1)
    try:
        result = importing.import_boundaries(data, level, code_field, name_field)
    except ImportFailed as error:
        _fail(error)
    placed = reassign_all_areas()
    click.echo(
        f"{result.created} areas created, {result.changed} changed, {result.repaired} "
        f"boundaries repaired; {placed} locations placed in their areas again"
    )


@areas_cli.command("figures")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="", help="Where the figures come from, shown beside them.")
def import_figures(path: Path, source: str) -> None:
    """Import figures by area code (CSV: area_code, indicator, value)."""
    try:
        with path.open("rb") as handle:
            count = importing.import_figures(handle, source or path.name)
    except ImportFailed as error:
        _fail(error)
    click.echo(f"{count} figures imported")


@geo_cli.command("postcodes")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_postcodes(path: Path) -> None:
    """Import full postcode centroids from an ONS Postcode Directory CSV (streamed)."""
    try:
        with path.open("rb") as handle:
            count = importing.import_postcodes(handle)
    except ImportFailed as error:
        _fail(error)
    click.echo(f"{count} postcodes imported")
