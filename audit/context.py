"""Who is acting, from where: set per request by AuditContextMiddleware, read by audit.services.record.

Outside a request (a management command, a Celery task) there is no context: events say
"command" and have no address unless the caller passes them.
"""

import contextlib
import contextvars
from dataclasses import dataclass

from audit.enums import Source


@dataclass(frozen=True)
class AuditContext:
    ip_address: str | None
    source: str
    fixed_user: object | None = None
    request: object | None = None

    @property
    def user(self):
        """The acting user; a request's is read only when an event is recorded (no query otherwise)."""
        if self.request is not None:
            user = getattr(self.request, "user", None)
            return user if user is not None and user.is_authenticated else None
        return self.fixed_user


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("audit_context", default=None)


def current() -> AuditContext | None:
    return _current.get()


@contextlib.contextmanager
def acting(*, user=None, ip_address: str | None = None, source: str = Source.COMMAND):
    """Run a block on behalf of `user` (a command that acts for someone, a test)."""
    token = _current.set(AuditContext(fixed_user=user, ip_address=ip_address, source=source))
    try:
        yield
    finally:
        _current.reset(token)


def _source_of(path: str) -> str:
    from django.urls import reverse

    if path.startswith(reverse("admin:index")):
        return Source.ADMIN
    if path.startswith("/api/"):
        return Source.API
    return Source.SITE


class AuditContextMiddleware:
    """Puts the signed-in user, the client's address and the source (admin, site, api) in the context.

    The address is REMOTE_ADDR: behind a proxy, the proxy sets it (nginx's real_ip module) —
    a client-supplied X-Forwarded-For is not trusted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = AuditContext(
            request=request,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            source=_source_of(request.path_info),
        )
        token = _current.set(context)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
