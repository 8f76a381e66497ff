"""Background jobs run on a real Huey consumer (SQLite storage, and Redis when there is one):
progress is written as they go, the report is kept, a failure is recorded (never raised),
and only who started a job, or an admin, sees its page, which refreshes until it is done."""

import os

import pytest

from engage.accounts.roles import Role
from engage.jobs import logic as jobs
from engage.jobs.models import Job, JobFile, JobStatus
from engage.jobs.queue import HANDLERS, make_huey, register_kind
from tests.conftest import AuthActions, config_with
from tests.factories import create_user
from tests.workers import running_worker, wait_for


def _count(job: Job, progress) -> dict:
    """A job kind for these tests: counts the lines of its file, reporting as it goes."""
    lines = next(iter(jobs.files_of(job).values())).decode().splitlines()
    for n, _line in enumerate(lines, start=1):
        progress(n, len(lines), "counting")
    return {"lines": len(lines), "asked": job.params["asked"]}


def _fail(job: Job, progress) -> dict:
    if job.params.get("how") == "politely":
        raise jobs.JobFailed("The file was not imported", {"problems": ["line 2: bad"], "total": 1})
    raise RuntimeError("a bug")


@pytest.fixture(autouse=True)
def kinds():
    register_kind("count_lines", _count)
    register_kind("fail", _fail)
    yield
    HANDLERS.pop("count_lines")
    HANDLERS.pop("fail")


def test_a_job_runs_on_a_real_consumer_with_progress_and_report(app, db_session, worker):
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    job = jobs.start("count_lines", "Count", officer, {"asked": "how many"}, {"f.txt": b"a\nb\nc"})
    done = wait_for(job.id)
    assert done.state is JobStatus.DONE
    assert (done.done, done.total, done.stage, done.percent) == (3, 3, "counting", 100)
    assert done.report == {"lines": 3, "asked": "how many"}
    assert done.started_at is not None and done.finished_at is not None
    assert db_session.query(JobFile).count() == 0  # the upload goes once the job is done


def test_a_failed_job_is_recorded_not_raised(app, db_session, worker):
    polite = jobs.start("fail", "Import", None, {"how": "politely"})
    buggy = jobs.start("fail", "Import", None, {"how": "badly"})
    polite, buggy = wait_for(polite.id), wait_for(buggy.id)
    assert (polite.state, polite.message, polite.report["problems"]) == (
        JobStatus.FAILED,
        "The file was not imported",
        ["line 2: bad"],
    )
    assert buggy.state is JobStatus.FAILED and "Nothing more was done" in buggy.message


def test_only_who_started_it_and_admins_see_a_job(app, client, auth, db_session):
    starter = create_user(Role.ENGAGEMENT_OFFICER)
    job = jobs.start("count_lines", "Count", starter, {"asked": "x"}, {"f": b"a"}, queued=False)
    assert client.get(f"/jobs/{job.id}").status_code == 302  # to sign in
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get("/jobs/999999").status_code == 404
    for who in (starter, create_user(Role.ADMIN)):
        viewer = app.test_client()
        AuthActions(viewer).sign_in_as(who)
        page = viewer.get(f"/jobs/{job.id}")
        assert page.status_code == 200
        assert 'http-equiv="refresh"' in page.get_data(as_text=True)  # still waiting


def test_a_finished_job_page_stops_refreshing_and_shows_the_report(app, client, auth, db_session):
    starter = create_user(Role.ENGAGEMENT_OFFICER)
    job = jobs.start("fail", "Import of x.csv", starter, {"how": "politely"}, queued=False)
    jobs.run(job.id)
    auth.sign_in_as(starter)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "The file was not imported" in page and "line 2: bad" in page


REDIS = os.environ.get("TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS, reason="make test starts a throwaway Redis")
def test_a_job_runs_through_redis_when_redis_url_is_set(app, db_session):
    redis_url = REDIS
    from huey import RedisHuey

    redis_app = type(app)(app.import_name)
    redis_app.config.update(REDIS_URL=redis_url)
    assert isinstance(make_huey(redis_app), RedisHuey)
    original = app.extensions["huey"], app.extensions["huey.run_job"]
    from engage.jobs.queue import init_app

    app.config["REDIS_URL"] = redis_url
    try:
        init_app(app)
        with running_worker(app):
            job = jobs.start("count_lines", "Count", None, {"asked": "redis"}, {"f": b"1\n2"})
            done = wait_for(job.id)
        assert (done.state, done.report["lines"]) == (JobStatus.DONE, 2)
        assert isinstance(app.extensions["huey"], RedisHuey)
    finally:
        app.config["REDIS_URL"] = None
        app.extensions["huey"], app.extensions["huey.run_job"] = original


def test_the_queue_is_sqlite_in_the_instance_folder_by_default(tmp_path):
    from huey import SqliteHuey

    from engage import create_app

    instance = create_app(config_with(JOBS_SQLITE_PATH=None))
    huey = instance.extensions["huey"]
    assert isinstance(huey, SqliteHuey)
    assert huey.storage.filename.startswith(instance.instance_path)
