"""Strict parsing of settings from the environment.

Every value has a safe default; a malformed value stops the process with one clear line
naming the variable (healthchecks style: fail fast, never guess).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool, *, environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no."
    )


def env_int(
    name: str, default: int, *, minimum: int = 0, environ: dict[str, str] | None = None
) -> int:
    env = os.environ if environ is None else environ
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str], *, environ: dict[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    raw = env.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class DatabaseUrl:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    def as_django(self) -> dict:
        config = {"ENGINE": self.engine, "NAME": self.name}
        if self.engine.endswith("postgresql"):
            config.update(
                USER=self.user,
                PASSWORD=self.password,
                HOST=self.host,
                PORT=self.port,
                CONN_MAX_AGE=60,
                CONN_HEALTH_CHECKS=True,
                # Web queries are short; PostgreSQL's JIT compiler spent ~55 ms per
                # worklist query of a large office compiling what ran in a few hundred
                # (docs/performance.md, "Web at region size").
                OPTIONS={"options": "-c jit=off"},
            )
        else:
            # WAL lets the background worker write while pages read.
            config["OPTIONS"] = {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        return config


def parse_database_url(raw: str, *, name: str = "DATABASE_URL") -> DatabaseUrl:
    """Parse `sqlite:///path` or `postgres[ql]://user:pass@host:port/db`."""
    try:
        parts = urlsplit(raw.strip())
        port = parts.port  # raises ValueError on a non-numeric port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is malformed ({exc}): {raw!r}") from None
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path or path == "/":
            raise ImproperlyConfigured(
                f"{name}={raw!r}: an SQLite URL looks like sqlite:////absolute/path.db "
                "or sqlite:///relative.db"
            )
        # sqlite:///relative.db -> "/relative.db"; sqlite:////abs.db -> "//abs.db"
        db_path = path[1:]
        return DatabaseUrl(engine="django.db.backends.sqlite3", name=db_path)
    if scheme in {"postgres", "postgresql", "pgsql"}:
        db_name = unquote(parts.path.lstrip("/"))
        if not db_name or "/" in db_name:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: a PostgreSQL URL needs a database name, "
                "e.g. postgres://user:password@127.0.0.1:5432/leerrecht"
            )
        return DatabaseUrl(
            engine="django.db.backends.postgresql",
            name=db_name,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(port or ""),
        )
    raise ImproperlyConfigured(
        f"{name}={raw!r}: unsupported scheme {scheme or '(none)'!r}; use sqlite:// or postgres://"
    )


def secret_key_load_or_create(path: Path) -> str:
    """The embedded default keeps a generated key in the data directory (mode 0600)."""
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) < 50:
            raise ImproperlyConfigured(f"The secret key in {path} is too short; delete the file.")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
