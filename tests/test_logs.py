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
