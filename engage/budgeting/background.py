"""A pabulib election imported as a round, as a background job: a file of any size (130,000
voters and more) is read and saved by a worker, with its progress on the job's page or as a
bar on the command line."""

from typing import Any

from flask_babel import gettext as _

from engage.accounts.models import User
from engage.budgeting.exchange import import_election
from engage.budgeting.logic import RoundError
from engage.budgeting.rules.pabulib import PabulibError, parse
from engage.extensions import db
from engage.jobs import logic as jobs
from engage.jobs.models import Job
from engage.jobs.queue import Progress, register_kind

PB_IMPORT = "pabulib_import"


def start_pb_import(
    officer: User, filename: str, raw: bytes, title: str | None = None, queued: bool = True
) -> Job:
    params = {"officer_id": officer.id, "title": title or ""}
    job_title = _("Round from %(name)s", name=filename)
    return jobs.start(PB_IMPORT, job_title, officer, params, {filename: raw}, queued)


def run_pb_import(job: Job, progress: Progress) -> dict[str, Any]:
    officer = db.session.get(User, job.params["officer_id"])
    if officer is None:
        raise jobs.JobFailed(_("The officer no longer exists"))
    (name, raw), *_rest = jobs.files_of(job).items()
    progress(0, 2, "checking")
    try:
        election = parse(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise jobs.JobFailed(_("The file is not UTF-8 text")) from None
    except PabulibError as error:
        raise jobs.JobFailed(
            _("The file was not imported"), {"problems": [str(error)], "total": 1}
        ) from None
    progress(1, 2, "saving")
    try:
        funding_round = import_election(election, officer, job.params.get("title") or None)
    except RoundError as error:
        raise jobs.JobFailed(str(error)) from None
    return {
        "round_id": funding_round.id,
        "projects": len(election.costs),
        "ballots": len(election.ballots),
    }


register_kind(PB_IMPORT, run_pb_import)
