"""gunicorn entry point for the benchmarks: the real app with bench.urls as its URLconf, and beside it
a bare view (bench.urls.bare_locked) served with no middleware at all, under `/bench/bare/`."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"

from django.core.handlers.wsgi import WSGIRequest  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections  # noqa: E402

from bench.urls import BARE_PREFIX, bare_locked  # noqa: E402

project = get_wsgi_application()


def application(environ, start_response):
    """The project's app, except under BARE_PREFIX: there the bare view answers, without the request's
    middleware, authentication or URL resolving (connections kept and checked as Django's handler does)."""
    if not environ.get("PATH_INFO", "").startswith(BARE_PREFIX):
        return project(environ, start_response)
    close_old_connections()
    try:
        response = bare_locked(WSGIRequest(environ))
    finally:
        close_old_connections()
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]
