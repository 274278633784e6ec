"""Settings from the environment (MARQUEE_*), each with a working default."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
MB = 1024 * 1024


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
    # Bounds, in bytes, of each process's caches of rendered answers (least recently used go
    # first; 0 keeps nothing). With the ~90 MB a process takes when it starts, the event cache
    # of the feeds (16 MB, app/services/feeds.py) and the conflicts of each festival's working
    # schedule (~10 MB at 10,000 screenings), they add up to about 230 MB, which leaves the
    # allocator's own overhead room under 300 MB a process: see docs/operations.md, "Memory".
    print_cache_bytes: int = Field(40 * MB, ge=0)  # printed programmes, PDFs, booklet, CSV, Excel, schedule.json/xml
    feed_cache_bytes: int = Field(24 * MB, ge=0)  # iCal feeds: whole programme, venues, films, sections, screenings
    page_cache_bytes: int = Field(16 * MB, ge=0)  # public pages: the festival's days, films, venues
    plan_feed_cache_bytes: int = Field(4 * MB, ge=0)  # attendees' plan feeds
    # published versions, parsed (estimated at 1,200 bytes a screening, film or venue: a
    # 10,000-screening version about 15 MB, so that a version and the one before it fit)
    programme_cache_bytes: int = Field(32 * MB, ge=0)
    # PDFs and Excel workbooks are made in this many child processes, one render each, so that
    # the memory a large programme's layout takes (a gigabyte at 10,000 screenings) is given
    # back when it is done; 0 makes them in the server process
    render_processes: int = Field(1, ge=0)
    # while a write request is in a server process, its feed polls wait for it up to this long
    # (app/http/priority.py); 0 serves polls at once
    writes_first_ms: int = Field(50, ge=0, le=1000)
    # the file through which several worker processes' polls wait for each other's writes;
    # set by `marquee serve --workers N` (N > 1) for its workers, not by hand
    writes_board: str = ""


@lru_cache
def get_settings() -> Settings:
    """The settings, read once per process (tests call `get_settings.cache_clear()`)."""
    return Settings()
