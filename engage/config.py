"""Settings, read from the environment. `.env.example` documents every variable."""

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    ENV_NAME = "base"
    PARTNERSHIP_NAME = os.environ.get(
        "PARTNERSHIP_NAME", "Northamptonshire Serious Violence Prevention Partnership"
    )
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default set in create_app
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY")
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 5 * 1024 * 1024))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 3600 * 4
    HSTS = False

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "engage@localhost")

    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get(
        "MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
    )

    # Origins allowed to show /embed/find-support in an iframe, space-separated.
    EMBED_ALLOWED_ORIGINS = os.environ.get("EMBED_ALLOWED_ORIGINS", "").split()

    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "en_GB")
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent.parent / "translations")
    LANGUAGES = {"en_GB": "English", "pl": "Polski"}

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # How many proxies (load balancer, reverse proxy) stand in front of the app: the client's
    # address is read that many hops back in X-Forwarded-For, and never trusted beyond.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0))
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Failed sign-ins allowed per account, from any address.
    ACCOUNT_LOGIN_RATE_LIMIT = os.environ.get("ACCOUNT_LOGIN_RATE_LIMIT", "10 per hour")
    # A session link (or its QR code) lets a room of young people on one Wi-Fi have their say:
    # this many items per link, for this many hours after an officer opens it.
    SESSION_LINK_ALLOWANCE = int(os.environ.get("SESSION_LINK_ALLOWANCE", 300))
    SESSION_LINK_HOURS = int(os.environ.get("SESSION_LINK_HOURS", 6))
    # Harvest feeds on addresses inside our own network (loopback, private): off in production,
    # so a registered feed cannot be used to reach what only the server can reach.
    HARVEST_PRIVATE_ADDRESSES = _bool("HARVEST_PRIVATE_ADDRESSES")
    # Who to contact about a child's safety, shown beside 999 and Childline (e.g. the
    # partnership's safeguarding lead or the council's children's front door).
    SAFEGUARDING_CONTACT = os.environ.get("SAFEGUARDING_CONTACT", "")
    # "Have your say" forms, per address: enough for a family sharing a connection.
    FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "5 per minute;30 per hour")
    # Contact details are erased this many days after the last email sent to the person.
    FEEDBACK_CONTACT_RETENTION_DAYS = int(os.environ.get("FEEDBACK_CONTACT_RETENTION_DAYS", 365))
    # The private "what happened to my feedback?" link in each email works for this many days.
    PRIVATE_LINK_DAYS = int(os.environ.get("PRIVATE_LINK_DAYS", 30))

    # Background jobs: Huey on Redis when REDIS_URL is set, else SQLite in the instance folder.
    REDIS_URL = os.environ.get("REDIS_URL")
    JOBS_SQLITE_PATH = os.environ.get("JOBS_SQLITE_PATH")
    # Uploads that become background jobs (imports) may be this large.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 200 * 1024 * 1024))

    # Argon2id's cost: "standard" everywhere but the test suite (production refuses the other).
    PASSWORD_HASH_COST = "standard"

    # Public pages kept rendered for anonymous visitors (engage/page_cache.py), per worker:
    # how many pages at most (0 turns the cache off), and for how long at most.
    PAGE_CACHE_SIZE = int(os.environ.get("PAGE_CACHE_SIZE", 2000))
    # Up to this many services in view, the map gets each as a marker; beyond, grid cells.
    MAP_MARKER_LIMIT = int(os.environ.get("MAP_MARKER_LIMIT", 300))
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 300))

    # Searches are logged for the gap analysis this many at a time, or when this many seconds
    # have passed since the last write (1 writes each search at once).
    SEARCH_LOG_BATCH = int(os.environ.get("SEARCH_LOG_BATCH", 50))
    SEARCH_LOG_SECONDS = float(os.environ.get("SEARCH_LOG_SECONDS", 10))

    INVITATION_MAX_AGE = 7 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 2 * 3600


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    HARVEST_PRIVATE_ADDRESSES = _bool("HARVEST_PRIVATE_ADDRESSES", True)
    SAFEGUARDING_CONTACT = os.environ.get(
        "SAFEGUARDING_CONTACT", "the partnership's safeguarding lead, safeguarding@demo.example.org"
    )


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-use-anywhere-else"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None  # tests that want Redis ask for TEST_REDIS_URL themselves
    SAFEGUARDING_CONTACT = "the partnership's safeguarding lead, safeguarding@test.example.org"
    HARVEST_PRIVATE_ADDRESSES = True  # the tests' feeds are served on loopback
    SEARCH_LOG_BATCH = 1  # each search logged as it happens, so tests read it at once
    PASSWORD_HASH_COST = "tests-only"  # thousands of sign-ins; same algorithm, least cost
    MAIL_SERVER = ""
    BASE_URL = "http://localhost"
    # Tiles that never load, so every map page is tested working without them.
    MAP_TILE_URL = "/tiles-unavailable/{z}/{x}/{y}.png"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The settings class named by ENGAGE_ENV (development unless told otherwise)."""
    name = os.environ.get("ENGAGE_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"ENGAGE_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    return CONFIGS[name]


def development_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder so development sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def shared_state_problem(settings: dict, workers: int) -> str | None:
    """Why this set-up would let each worker keep its own rate limits (so a limit of 5 would
    really be 5 per worker), or None. Refused in production; fine on one machine in
    development."""
    per_process = str(settings.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://")
    if settings.get("ENV_NAME") == "production" and per_process and workers > 1:
        return (
            f"{workers} workers would each keep their own rate limits: set "
            "RATELIMIT_STORAGE_URL to a shared store (redis://...) or run one worker"
        )
    return None
