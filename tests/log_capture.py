"""The hub's own logging configuration (settings.LOGGING), writing into a string a test can read."""

import copy
import io
import logging.config
from contextlib import contextmanager

from django.conf import settings

from config.logs import logging_config


@contextmanager
def hub_log(fmt: str = "text"):
    """Every log line, formatted as production formats it, in the yielded StringIO."""
    buffer = io.StringIO()
    config = logging_config(fmt=fmt, level="INFO")
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    try:
        yield buffer
    finally:
        logging.config.dictConfig(copy.deepcopy(settings.LOGGING))
