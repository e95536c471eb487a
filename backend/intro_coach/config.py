"""Settings, read from the environment; every one has an embedded default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_REVOKE_URI = "https://oauth2.googleapis.com/revoke"
GMAIL_API_ROOT = "https://gmail.googleapis.com/"
GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg) / "intro-coach"
    home = os.environ.get("HOME")
    if home:
        return Path(home) / ".local" / "share" / "intro-coach"
    return Path(".data")


def _read_secret_file(path: str) -> str:
    """A client secret from a file: Google's downloaded client JSON, or the bare secret."""
    import json

    text = Path(path).read_text().strip()
    if text.startswith("{"):
        data = json.loads(text)
        section = data.get("web") or data.get("installed") or data
        return str(section.get("client_secret", ""))
    return text


# The Intro Coach extension's id, fixed by the `key` in extension/static/manifest.json.
EXTENSION_ID = "clofeipofbpokeanhnjciicpgpnnlomf"


def _file(path: str | None) -> str | None:
    """A secret setting kept in a file (a container secret): its first line."""
    if not path:
        return None
    return Path(path).read_text().strip() or None


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Requests bigger than this are refused before they are parsed. A 100,000-character
    # body of emoji escaped as JSON is about 1.2 MB, so this leaves room for it.
    max_request_bytes: int = 2 * 1024 * 1024
    # Mounts an endpoint that does no work, for the benchmark's baseline only.
    bench_endpoints: bool = False
    # Connections and requests served at once; beyond, uvicorn answers 503.
    max_connections: int = 256
    # Time a client has to send a request's headers (the connection is closed beyond)
    # and its body (408 beyond).
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 10.0
    # The analyzer's processor time per request (its own thread's, so that queueing
    # behind others never counts); past it, the answer carries the findings ready and a
    # note naming the rules not run. Processes (workers.py): the first for ordinary
    # drafts, the others for large ones; 0 runs analyses on `analyze_threads` threads of
    # the server's own process instead (lanes.py).
    analyze_budget_seconds: float = 0.15
    # (On Windows the event loop cannot watch pipes: threads there.)
    analyze_processes: int = 2 if os.name == "posix" else 0
    analyze_threads: int = 2

    # --- Grammar (LanguageTool). An existing server, or jars to run one as a child. ---
    languagetool_url: str | None = None
    languagetool_jars: Path | None = None
    languagetool_heap: str = "768m"
    # How long /v1/grammar waits for LanguageTool before answering with what is ready.
    grammar_deadline_seconds: float = 1.5

    # --- Gmail connection (opt-in). Nothing below is needed to run the analyzer. ---
    data_dir: Path = field(default_factory=default_data_dir)
    # SQLAlchemy URL; default: a SQLite file in data_dir.
    database_url: str | None = None
    # Fernet keys, newest first: the first encrypts, all decrypt. Default: a 0600 key
    # file in data_dir, generated on first use.
    encryption_keys: tuple[str, ...] = ()
    encryption_key_file: Path | None = None
    google_client_id: str | None = None
    google_client_secret: str | None = field(default=None, repr=False)
    google_auth_uri: str = GOOGLE_AUTH_URI
    google_token_uri: str = GOOGLE_TOKEN_URI
    google_revoke_uri: str = GOOGLE_REVOKE_URI
    gmail_api_root: str = GMAIL_API_ROOT
    # Where Google sends the browser back: <public_url>/oauth/callback.
    public_url: str | None = None
    # Chrome extension ids allowed to connect (redirect and CORS). Default: the id the
    # manifest's `key` gives the extension everywhere (docs/extension/store.md).
    extension_ids: tuple[str, ...] = (EXTENSION_ID,)
    # How long /v1/analyze waits for Gmail context before answering without it.
    gmail_deadline_seconds: float = 0.8
    # Timeout of one call to Google (token, Gmail, revoke).
    google_timeout_seconds: float = 5.0
    context_cache_seconds: float = 300.0
    session_days: int = 30
    # Per-session limits: requests per minute (with a burst of a quarter of that).
    analyze_per_minute: int = 600
    gmail_lookups_per_minute: int = 60
    # Per-client (IP address) limit on starting the Gmail connection, and a cap on the
    # sign-ins in progress at once, so unauthenticated calls cannot fill the database.
    oauth_starts_per_minute: int = 20
    max_pending_states: int = 10_000

    # --- Gmail add-on (HTTP runtime). Its endpoints answer 404 until the service
    # account (from `gcloud workspace-add-ons get-authorization`) and public_url are set.
    addon_service_account: str | None = None
    addon_client_id: str | None = None  # the deployment's OAuth client id: userIdToken's aud
    addon_certs_url: str = GOOGLE_CERTS_URL

    # --- running as a service (deploy/) ---
    # Shared state for several instances (rate limits, revoked sessions); None: in process.
    redis_url: str | None = field(default=None, repr=False)
    log_format: str = "text"  # "text" (uvicorn's lines) or "json" (one object a line)
    workers: int = 1
    # Off where a release runs `intro-coach migrate` once (a Kubernetes Job) instead.
    migrate_on_start: bool = True

    @property
    def gmail_configured(self) -> bool:
        return bool(self.google_client_id and self.google_client_secret)

    @property
    def callback_url(self) -> str:
        base = self.public_url or f"http://{self.host}:{self.port}"
        return base.rstrip("/") + "/oauth/callback"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'intro-coach.db'}"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        secret = env.get("INTRO_COACH_GOOGLE_CLIENT_SECRET")
        secret_file = env.get("INTRO_COACH_GOOGLE_CLIENT_SECRET_FILE")
        if not secret and secret_file:
            secret = _read_secret_file(secret_file)
        data_dir = env.get("INTRO_COACH_DATA_DIR")
        database_url = env.get("INTRO_COACH_DATABASE_URL") or _file(
            env.get("INTRO_COACH_DATABASE_URL_FILE")
        )
        redis_url = env.get("INTRO_COACH_REDIS_URL") or _file(env.get("INTRO_COACH_REDIS_URL_FILE"))
        key_file = env.get("INTRO_COACH_ENCRYPTION_KEY_FILE")
        jars = env.get("INTRO_COACH_LANGUAGETOOL_JARS")
        return cls(
            languagetool_url=env.get("INTRO_COACH_LANGUAGETOOL_URL") or None,
            languagetool_jars=Path(jars) if jars else None,
            languagetool_heap=env.get("INTRO_COACH_LANGUAGETOOL_HEAP", cls.languagetool_heap),
            grammar_deadline_seconds=float(env.get("INTRO_COACH_GRAMMAR_DEADLINE_MS", "1500"))
            / 1000,
            host=env.get("INTRO_COACH_HOST", cls.host),
            port=int(env.get("INTRO_COACH_PORT", cls.port)),
            max_request_bytes=int(env.get("INTRO_COACH_MAX_REQUEST_BYTES", cls.max_request_bytes)),
            bench_endpoints=env.get("INTRO_COACH_BENCH_ENDPOINTS", "") == "1",
            max_connections=int(env.get("INTRO_COACH_MAX_CONNECTIONS", cls.max_connections)),
            header_timeout_seconds=float(
                env.get("INTRO_COACH_HEADER_TIMEOUT_SECONDS", cls.header_timeout_seconds)
            ),
            body_timeout_seconds=float(
                env.get("INTRO_COACH_BODY_TIMEOUT_SECONDS", cls.body_timeout_seconds)
            ),
            analyze_budget_seconds=float(env.get("INTRO_COACH_ANALYZE_BUDGET_MS", "150")) / 1000,
            analyze_processes=int(env.get("INTRO_COACH_ANALYZE_PROCESSES", cls.analyze_processes)),
            analyze_threads=int(env.get("INTRO_COACH_ANALYZE_THREADS", cls.analyze_threads)),
            data_dir=Path(data_dir) if data_dir else default_data_dir(),
            database_url=database_url or None,
            encryption_keys=_csv(env.get("INTRO_COACH_ENCRYPTION_KEYS", "")),
            encryption_key_file=Path(key_file) if key_file else None,
            google_client_id=env.get("INTRO_COACH_GOOGLE_CLIENT_ID") or None,
            google_client_secret=secret or None,
            google_auth_uri=env.get("INTRO_COACH_GOOGLE_AUTH_URI", GOOGLE_AUTH_URI),
            google_token_uri=env.get("INTRO_COACH_GOOGLE_TOKEN_URI", GOOGLE_TOKEN_URI),
            google_revoke_uri=env.get("INTRO_COACH_GOOGLE_REVOKE_URI", GOOGLE_REVOKE_URI),
            gmail_api_root=env.get("INTRO_COACH_GMAIL_API_ROOT", GMAIL_API_ROOT),
            public_url=env.get("INTRO_COACH_PUBLIC_URL") or None,
            extension_ids=_csv(env.get("INTRO_COACH_EXTENSION_IDS", EXTENSION_ID)),
            gmail_deadline_seconds=float(env.get("INTRO_COACH_GMAIL_DEADLINE_MS", "800")) / 1000,
            analyze_per_minute=int(env.get("INTRO_COACH_ANALYZE_PER_MINUTE", "600")),
            gmail_lookups_per_minute=int(env.get("INTRO_COACH_GMAIL_LOOKUPS_PER_MINUTE", "60")),
            oauth_starts_per_minute=int(env.get("INTRO_COACH_OAUTH_STARTS_PER_MINUTE", "20")),
            addon_service_account=env.get("INTRO_COACH_ADDON_SERVICE_ACCOUNT") or None,
            addon_client_id=env.get("INTRO_COACH_ADDON_CLIENT_ID") or None,
            addon_certs_url=env.get("INTRO_COACH_ADDON_CERTS_URL") or GOOGLE_CERTS_URL,
            redis_url=redis_url or None,
            log_format=env.get("INTRO_COACH_LOG_FORMAT", "text").strip().lower() or "text",
            workers=int(env.get("INTRO_COACH_WORKERS", "1")),
            migrate_on_start=env.get("INTRO_COACH_MIGRATE_ON_START", "1") != "0",
        )
