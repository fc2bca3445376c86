"""Sending a private file to someone a view has already let through.

By setting, the file is streamed by Django, or handed to nginx (X-Accel-Redirect to an internal
location) or Apache (X-Sendfile), which then send it without tying up a Python worker. With
object storage it is streamed from the bucket, or ("redirect") the person is sent to a link to the
object signed for a few seconds: the only place such a link is ever made.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect

# Chunks read from object storage while streaming (FileResponse's own default is 4 KB).
STREAM_BLOCK_SIZE = 256 * 1024


def protected_file_response(field_file: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    server = settings.PROTECTED_FILES_SERVER
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    if server == "redirect":
        url = field_file.storage.presigned_url(
            field_file.name,
            expire=settings.PROTECTED_FILES_REDIRECT_SECONDS,
            filename_header=disposition,
            content_type=content_type,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    if server == "nginx":
        response = HttpResponse(content_type=content_type)
        location = settings.PROTECTED_FILES_NGINX_LOCATION.rstrip("/")
        response["X-Accel-Redirect"] = f"{location}/{quote(field_file.name)}"
    elif server == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = field_file.path
    elif hasattr(field_file.storage, "open_stream"):  # object storage: pass the bytes on as they arrive
        body, size = field_file.storage.open_stream(field_file.name)
        response = FileResponse(body, content_type=content_type)
        response.block_size = STREAM_BLOCK_SIZE
        response["Content-Length"] = size
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    # Always a download, never rendered in the portal's origin, whatever the bytes are.
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response
