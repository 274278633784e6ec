"""Plan tokens never reach the access log."""

import logging
import logging.config

from app.logs import RedactPlanTokens, redact, uvicorn_log_config


def test_plan_paths_are_redacted():
    assert redact("/plans/AbC_123-x") == "/plans/<redacted>"
    assert redact("/plans/AbC/calendar.ics?x=1") == "/plans/<redacted>/calendar.ics?x=1"
    assert redact("/api/plans/AbC") == "/api/plans/<redacted>"
    assert redact("/festivals/wfd/plan") == "/festivals/wfd/plan"


def test_the_filter_rewrites_uvicorns_access_record():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/plans/SECRET/calendar.ics", "1.1", 200),
        None,
    )
    assert RedactPlanTokens().filter(record)
    assert "SECRET" not in record.getMessage()
    assert record.getMessage() == '127.0.0.1:5000 - "GET /plans/<redacted>/calendar.ics HTTP/1.1" 200'


def test_marquee_serve_installs_the_filter_on_the_access_handler():
    config = uvicorn_log_config()
    assert "redact_plan_tokens" in config["handlers"]["access"]["filters"]
    logging.config.dictConfig(config)  # it is a configuration logging accepts


def test_the_access_lines_are_uvicorns_own():
    """app.logs.AccessFormatter writes what uvicorn's AccessFormatter writes, with or without colours."""
    from uvicorn.logging import AccessFormatter as Uvicorns

    from app.logs import ACCESS_FORMAT, AccessFormatter

    assert uvicorn_log_config()["formatters"]["access"]["()"] == "app.logs.AccessFormatter"
    for use_colors in (False, True, None):
        ours, theirs = (
            AccessFormatter(ACCESS_FORMAT, use_colors=use_colors),
            Uvicorns(ACCESS_FORMAT, use_colors=use_colors),
        )
        for level in (logging.INFO, logging.WARNING, 5):
            for args in (
                ("127.0.0.1:5000", "GET", "/festivals/wfd/calendar.ics", "1.1", 200),
                ("[::1]:80", "HEAD", "/festivals/wfd/calendar.ics?x=%20", "1.0", 304),
                ("10.0.0.1:1", "POST", "/api/festivals", "2", 599),
            ):
                record = logging.LogRecord("uvicorn.access", level, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None)
                assert ours.format(record) == theirs.format(record)
