"""Access logs without secrets: a plan's token in a path (`/plans/<token>`, `/api/plans/<token>`) is redacted."""

from __future__ import annotations

import copy
import logging
import re

from uvicorn.logging import AccessFormatter as UvicornAccessFormatter

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


ACCESS_FORMAT = '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'  # uvicorn's


class AccessFormatter(UvicornAccessFormatter):
    """uvicorn's access line, the same text made without copying the record twice (once per poll).

    Only for uvicorn's own format without colours (what `marquee serve` writes to a file or a
    pipe); anything else is formatted by uvicorn's class."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        args = record.args
        if self.use_colors or self._fmt != ACCESS_FORMAT or not isinstance(args, tuple) or len(args) != 5:
            return super().formatMessage(record)
        client_addr, method, full_path, http_version, status_code = args
        levelname = record.levelname
        return (
            f"{levelname}:{' ' * (8 - len(levelname))} {client_addr} - "
            f'"{method} {full_path} HTTP/{http_version}" {self.get_status_code(int(status_code))}'
        )


def uvicorn_log_config() -> dict:
    """uvicorn's own logging configuration, with the access log's plan tokens redacted."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_plan_tokens"] = {"()": "app.logs.RedactPlanTokens"}
    config["handlers"]["access"].setdefault("filters", []).append("redact_plan_tokens")
    if config["formatters"]["access"] == {"()": "uvicorn.logging.AccessFormatter", "fmt": ACCESS_FORMAT}:
        config["formatters"]["access"]["()"] = "app.logs.AccessFormatter"
    return config
