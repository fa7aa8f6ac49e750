import logging

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from health import selectors
from people.permissions import require

log = logging.getLogger(__name__)


@never_cache
def deep(request):
    """For the monitoring system: each dependency ok or failing, 200 when all are ok, else 503."""
    require(request.user, "view_health")
    results = selectors.checks()
    for check in results:
        if not check.ok:
            log.warning("Health: %s failing: %s%s", check.name, check.summary,
                        f" ({check.reason})" if check.reason else "")
    healthy = all(check.ok for check in results)
    body = {
        "status": "ok" if healthy else "failing",
        "checks": {check.name: {"ok": check.ok, "summary": check.summary} for check in results},
    }
    return JsonResponse(body, status=200 if healthy else 503)
