"""`log_output`: what Balai's configured log handlers write, read back in a test."""

import io
import json
import logging

import pytest

from balai.lib.logs import JsonFormatter


def json_handlers() -> list[logging.StreamHandler]:
    """Every handler the settings' LOGGING made with Balai's formatter."""
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    found: list[logging.StreamHandler] = []
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            ours = isinstance(handler, logging.StreamHandler) and isinstance(
                handler.formatter, JsonFormatter
            )
            if ours and handler not in found:
                found.append(handler)
    return found


class LogOutput(io.StringIO):
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.getvalue().splitlines()]


@pytest.fixture
def log_output():
    """The configured handlers write here for the test (their formatter and filters unchanged)."""
    out = LogOutput()
    handlers = json_handlers()
    assert handlers, "LOGGING configures no JSON handler"
    previous = [h.setStream(out) for h in handlers]
    yield out
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)
