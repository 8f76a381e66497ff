"""Importing a file of any of the shapes we take: our CSV template, Open Referral UK 3.0
JSON, or an HSDS tabular data package. Checked whole first (nothing is saved if any service
is wrong), then saved a chunk at a time with progress."""

import csv
import io
from collections.abc import Sequence
from enum import StrEnum
from pathlib import PurePosixPath

from flask_babel import gettext as _
from sqlalchemy import select

from engage.asset_map.exchange import documents, tabular, template
from engage.asset_map.exchange.documents import Item
from engage.asset_map.exchange.identity import known_as
from engage.asset_map.exchange.report import ImportReport, Progress, no_progress
from engage.asset_map.exchange.saving import Saver
from engage.asset_map.models import FeedSource, Organisation
from engage.extensions import db
from engage.importing import ImportFailed, Problem

CHUNK = 200
MAX_PROBLEMS = 50


class Format(StrEnum):
    TEMPLATE = "csv"
    ORUK = "oruk"
    TABULAR = "tabular"


def detect(filename: str, raw: bytes) -> Format:
    """The format a file is in, from its name (and for CSV, its header row)."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix == ".json":
        return Format.ORUK
    if suffix == ".zip":
        return Format.TABULAR
    header = raw[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
    columns = next(csv.reader(header), []) if header else []
    hsds = {"id", "name", "status"} <= {
        c.strip() for c in columns
    } and "organisation" not in columns
    return Format.TABULAR if hsds else Format.TEMPLATE


def import_file(
    filename: str, raw: bytes, progress: Progress = no_progress, fmt: Format | None = None
) -> ImportReport:
    """Import one uploaded file; ImportFailed (nothing saved) lists every problem."""
    chosen = fmt or detect(filename, raw)
    if chosen is Format.TEMPLATE:
        return template.import_csv(io.BytesIO(raw), progress)
    report = ImportReport()
    if chosen is Format.ORUK:
        found = documents.items(documents.load(raw))
    elif filename.lower().endswith(".zip"):
        found = tabular.items(tabular.read_zip(raw), report)
    else:
        found = tabular.items({PurePosixPath(filename).name: raw}, report)
    return import_items(found, report, progress)


def import_items(
    items: Sequence[Item], report: ImportReport, progress: Progress = no_progress
) -> ImportReport:
    problems = check(items, progress)
    if problems:
        raise ImportFailed(problems)
    save(items, Saver(report), progress)
    return report


def check(items: Sequence[Item], progress: Progress = no_progress) -> list[Problem]:
    """Every problem with every service, by path (each service checked on its own, so the
    whole file never has to be held as models at once)."""
    if not items:
        return [Problem(None, None, _("the file has no Open Referral UK services"))]
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        problems.extend(documents.problems_in(item))
        given = item.data.get("id")
        if isinstance(given, str) and given in seen:
            message = _("the same service id is at %(where)s", where=seen[given])
            problems.append(Problem(None, item.at(("id",)), message))
        elif isinstance(given, str):
            seen[given] = item.where
        if n % CHUNK == 0:
            progress(n, len(items), "checking")
    if not problems:
        problems = _missing_organisations(items)
    return problems


def _missing_organisations(items: Sequence[Item]) -> list[Problem]:
    """Services that name their organisation only by an id that is nowhere to be found."""
    bare = [i for i in items if not isinstance(i.data.get("organization"), dict)]
    if not bare:
        return []
    ids = known_as("organisation", [str(i.data.get("organization_id") or "") for i in bare])
    found = set(
        db.session.scalars(
            select(Organisation.oruk_id).where(Organisation.oruk_id.in_(ids.values()))
        )
    )
    problems = []
    for item in bare:
        given = str(item.data.get("organization_id") or "")
        if ids.get(given) not in found:
            message = (
                _("organisation %(id)s is neither in the file nor in the directory", id=given)
                if given
                else _("a service needs its organisation")
            )
            problems.append(Problem(None, item.at(("organization_id",)), message))
    return problems[:MAX_PROBLEMS]


def save(items: Sequence[Item], saver: Saver, progress: Progress = no_progress) -> None:
    """Save checked items a chunk at a time, committing each chunk."""
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        docs = [documents.parse(item) for item in chunk]
        for item, doc in zip(chunk, docs, strict=True):
            for loc, what in documents.left_aside(doc):
                saver.report.leave_aside(item.at(loc), what)
        saver.save(docs, [item.where for item in chunk])
        db.session.commit()
        progress(min(start + CHUNK, len(items)), len(items), "saving")


def harvest_items(items: Sequence[Item], source: FeedSource, report: ImportReport) -> int:
    """A page from a feed: good services saved, bad ones left aside with their problems (a
    neighbour's one bad record must not stop the rest). Returns how many were saved."""
    good = []
    for item in items:
        problems = documents.problems_in(item)
        if problems:
            report.leave_aside(item.where, "; ".join(str(p) for p in problems[:3]))
        else:
            good.append(item)
    save(good, Saver(report, source))
    return len(good)
