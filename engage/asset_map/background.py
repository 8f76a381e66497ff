"""The asset map's background jobs: importing a file and harvesting a feed."""

from typing import Any

from flask_babel import gettext as _

from engage.accounts.models import User
from engage.asset_map import exchange
from engage.asset_map.harvest import harvest
from engage.asset_map.models import FeedSource
from engage.extensions import db
from engage.importing import ImportFailed
from engage.jobs import logic as jobs
from engage.jobs.models import Job
from engage.jobs.queue import Progress, register_kind

IMPORT = "asset_import"
HARVEST = "feed_harvest"


def start_import(user: User | None, filename: str, raw: bytes, queued: bool = True) -> Job:
    title = _("Import of %(name)s", name=filename)
    return jobs.start(IMPORT, title, user, {"filename": filename}, {filename: raw}, queued)


def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    (filename, raw), *_rest = jobs.files_of(job).items()
    fmt = job.params.get("format")
    try:
        report = exchange.import_file(
            filename, raw, progress, exchange.Format(fmt) if fmt else None
        )
    except ImportFailed as failure:
        problems = [str(p) for p in failure.problems]
        raise jobs.JobFailed(
            _("The file was not imported"), {"problems": problems, "total": failure.total}
        ) from None
    return report.as_dict()


def start_harvest(user: User | None, source: FeedSource, queued: bool = True) -> Job:
    title = _("Harvest of %(name)s", name=source.name)
    return jobs.start(HARVEST, title, user, {"source_id": source.id}, queued=queued)


def run_harvest(job: Job, progress: Progress) -> dict[str, Any]:
    source = db.session.get(FeedSource, job.params["source_id"])
    if source is None:
        raise jobs.JobFailed(_("The feed has been removed"))
    return harvest(source, progress).as_dict()


register_kind(IMPORT, run_import)
register_kind(HARVEST, run_harvest)
