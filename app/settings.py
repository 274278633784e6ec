"""Settings from the environment (MARQUEE_*), each with a working default."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MARQUEE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./marquee.db"
    # absolute links in feeds, pages and prints; when unset, `marquee serve` sets it from its
    # --host and --port for its worker processes (see `app.cli.serve`)
    base_url: str = DEFAULT_BASE_URL
    # seconds a SQLite writer waits for the lock before giving up (answered 503 + Retry-After)
    sqlite_busy_timeout: float = Field(30.0, ge=0)
    # the largest request body accepted, in bytes: a longer one is refused with 413 unread
    max_body_bytes: int = Field(1024 * 1024, ge=0)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once per process (tests call `get_settings.cache_clear()`)."""
    return Settings()
