"""Operations: JSON log lines (LOG_FORMAT=json), a request id on every line, and error reporting.

The request id comes from the proxy (nginx sets X-Request-ID to its own $request_id) or is made
here; it is echoed in the response so a person can quote it, and every log line written while
the request runs carries it. Error reporting (Sentry) starts only when SENTRY_DSN is set.

Imports only the standard library at module level: settings load it before Django is set up.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Attributes every LogRecord has; anything else was passed in `extra=` and goes into the line.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE: a trusted proxy's X-Request-ID, or a new one, for this request's log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers.setdefault(REQUEST_ID_HEADER, request_id)
        return response


def _record_request_id(record: logging.LogRecord) -> str:
    # django.request logs a response's status after the middleware is done: its record carries the request.
    return (
        getattr(record, "request_id", "")
        or _request_id.get()
        or getattr(getattr(record, "request", None), "request_id", "")
    )


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request), for any formatter to use."""

    def filter(self, record):
        record.request_id = _record_request_id(record)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras, exception."""

    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _record_request_id(record)
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key in _RECORD_ATTRIBUTES or key.startswith("_") or key == "request":
                continue  # django.request passes the request object itself: not for a log line
            line[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)


def init_error_reporting(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Sentry for Django and Celery, without personal data: no cookies, users, IPs or request bodies
    (registration forms hold delegates' contact, travel and dietary details)."""
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
    )
