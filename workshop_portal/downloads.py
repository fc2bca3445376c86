"""Sending a private file to someone a view has already let through.

By setting, the file is streamed by Django, or handed to nginx (X-Accel-Redirect to an internal
location) or Apache (X-Sendfile), which then send it without tying up a Python worker.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse


def protected_file_response(field_file: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    server = settings.PROTECTED_FILES_SERVER
    if server == "nginx":
        response = HttpResponse(content_type=content_type)
        location = settings.PROTECTED_FILES_NGINX_LOCATION.rstrip("/")
        response["X-Accel-Redirect"] = f"{location}/{quote(field_file.name)}"
    elif server == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = field_file.path
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    # Always a download, never rendered in the portal's origin, whatever the bytes are.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response
