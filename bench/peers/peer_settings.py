"""Django settings for the pretalx driver: pretalx's own, with an in-process cache instead of Redis.

The SQLite file and the data folder come from PRETALX_DB_NAME and PRETALX_DATA_DIR, which the
driver points at a throwaway folder before Django starts.
"""

from pretalx.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGGING = {"version": 1, "disable_existing_loggers": False}
