"""Settings from the environment (MARQUEE_*), each with a working default."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MARQUEE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./marquee.db"
    base_url: str = "http://127.0.0.1:8000"
    # seconds a SQLite writer waits for the lock before giving up
    sqlite_busy_timeout: float = 30.0


@lru_cache
def get_settings() -> Settings:
    """The settings, read once per process (tests call `get_settings.cache_clear()`)."""
    return Settings()
