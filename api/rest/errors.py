"""Every API error in one shape, documented in the OpenAPI schema:

    {"error": {"code": "not_found", "message": "…", "details": {…}}}

never a traceback and never data."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

ERROR_CODES = {
    400: "invalid_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    429: "throttled",
}


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        # Anything else: logged with its traceback, answered with none.
        logger.exception("API error", exc_info=exc)
        return Response(error_body("server_error", "The server could not answer this request."), status=500)
    code = ERROR_CODES.get(response.status_code, "error")
    details = {}
    if isinstance(exc, exceptions.ValidationError):
        code = getattr(exc, "api_code", "invalid_request")
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        message = "The request is not valid: see details."
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        message = str(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        if isinstance(codes, str) and codes not in ("error", "invalid", "not_found", "permission_denied"):
            code = codes
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            details = {"retry_after_seconds": int(exc.wait)}
    response.data = error_body(code, message, details)
    return response


class InvalidFilter(exceptions.ValidationError):
    """A query parameter the endpoint cannot read (a malformed number, an unknown workshop)."""

    api_code = "invalid_filter"


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(
                    help_text="not_authenticated, invalid_token, token_scope, permission_denied, not_found, "
                    "invalid_filter, method_not_allowed, throttled, server_error"
                ),
                "message": serializers.CharField(),
                "details": serializers.DictField(),
            },
        )
    },
)
