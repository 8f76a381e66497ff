"""A session's items imported from a CSV file as a background job: every row is checked
first (with progress), then all are saved in one transaction, so a file of any size is all or
nothing and never held up by a web worker's time limit."""

import io
from typing import Any

from flask_babel import gettext as _

from engage.accounts.models import User
from engage.extensions import db
from engage.feedback.importing import check_session_items, save_session_items
from engage.feedback.models import ForumSession
from engage.importing import ImportFailed
from engage.jobs import logic as jobs
from engage.jobs.models import Job
from engage.jobs.queue import Progress, register_kind

ITEM_IMPORT = "feedback_import"


def start_item_import(
    officer: User, session: ForumSession, filename: str, raw: bytes, queued: bool = True
) -> Job:
    title = _("Items for %(forum)s from %(name)s", forum=session.forum.name, name=filename)
    params = {"session_id": session.id, "officer_id": officer.id}
    return jobs.start(ITEM_IMPORT, title, officer, params, {filename: raw}, queued)


def run_item_import(job: Job, progress: Progress) -> dict[str, Any]:
    session = db.session.get(ForumSession, job.params["session_id"])
    officer = db.session.get(User, job.params["officer_id"])
    if session is None or officer is None:
        raise jobs.JobFailed(_("The session or the officer no longer exists"))
    (_name, raw), *_rest = jobs.files_of(job).items()
    try:
        items = check_session_items(session, io.BytesIO(raw), progress)
    except ImportFailed as failure:
        problems = [str(p) for p in failure.problems]
        raise jobs.JobFailed(
            _("The file was not imported"), {"problems": problems, "total": failure.total}
        ) from None
    progress(len(items), len(items), "saving")
    saved = save_session_items(officer, items)
    return {"imported": saved, "session_id": session.id}


register_kind(ITEM_IMPORT, run_item_import)
