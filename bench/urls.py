"""The project's URLs plus the framework floor: a trivial authenticated POST, for the benchmarks only."""

from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from config.urls import urlpatterns as project_urlpatterns


@api_view(["POST"])
def floor(request):
    return Response({"ok": True, "person": request.user.pk}, status=201)


urlpatterns = [path("bench/floor/", floor), *project_urlpatterns]
