"""The portal's URLs plus /bench/floor/: the least a request can cost through the same middleware."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from workshop_portal.urls import urlpatterns as portal_urlpatterns


@require_safe
def floor(request):
    return HttpResponse(b"floor", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]
