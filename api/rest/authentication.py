"""API tokens in the Authorization header: `Authorization: Bearer wsp_…`."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.services import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: anonymous, or the signed-in session
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Give the token after “Bearer”, with no spaces in it.", "invalid_token"
            )
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.", "invalid_token") from None
        token = api_token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, expired or revoked.", "invalid_token")
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ReadOnlyScope(BasePermission):
    """Tokens are read-only: one sent with a write method is refused before anything else."""

    message = "This token may only read."
    code = "token_scope"

    def has_permission(self, request, view):
        return request.auth is None or request.method in SAFE_METHODS


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.rest.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token created on the account page (read only)."}
