"""Access logs without secrets: a plan's token in a path (`/plans/<token>`, `/api/plans/<token>`) is redacted."""

from __future__ import annotations

import copy
import logging
import re

_PLAN_PATH = re.compile(r"(/plans/)[^/?#\s\"]+")
REDACTED = r"\1<redacted>"
_MARK = "/plans/"  # in every match of _PLAN_PATH


def redact(text: str) -> str:
    """`text` with every plan token in a path replaced by `<redacted>`."""
    return _PLAN_PATH.sub(REDACTED, text)


class RedactPlanTokens(logging.Filter):
    """For uvicorn's access log, whose record args are (client, method, path, http version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # every request passes here: a substring test first, the pattern only where it can match
        args = record.args
        if isinstance(args, tuple):
            if any(isinstance(a, str) and _MARK in a for a in args):
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        elif isinstance(record.msg, str) and _MARK in record.msg:
            record.msg = redact(record.msg)
        return True


def uvicorn_log_config() -> dict:
    """uvicorn's own logging configuration, with the access log's plan tokens redacted."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_plan_tokens"] = {"()": "app.logs.RedactPlanTokens"}
    config["handlers"]["access"].setdefault("filters", []).append("redact_plan_tokens")
    return config
