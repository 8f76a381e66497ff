"""Bulk import and export of the directory: our CSV template, Open Referral UK 3.0 JSON and
HSDS tabular data packages in; CSV and Open Referral UK JSON out."""

import json

from sqlalchemy import select

from engage.asset_map import loading
from engage.asset_map.exchange.importing import Format, detect, import_file
from engage.asset_map.exchange.report import ImportReport
from engage.asset_map.exchange.template import export_csv, template_csv
from engage.asset_map.models import Service
from engage.asset_map.oruk import publish
from engage.asset_map.oruk.schema import dump
from engage.extensions import db


def export_oruk() -> str:
    """Every service, fully nested, as a JSON list (what the standard calls a package)."""
    services = list(
        db.session.scalars(select(Service).order_by(Service.name).options(*loading.everything()))
    )
    links = publish.links_of([s.id for s in services])
    return json.dumps([dump(publish.service(s, links)) for s in services], indent=1)


__all__ = [
    "Format",
    "ImportReport",
    "detect",
    "export_csv",
    "export_oruk",
    "import_file",
    "template_csv",
]
