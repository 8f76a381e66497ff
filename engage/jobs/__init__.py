"""Background jobs: long work (imports, harvests, report PDFs) done off the request on a real
task queue (Huey: SQLite storage in the instance folder by default, Redis when REDIS_URL is
set), with its progress and report kept in the database for a page that refreshes itself."""
