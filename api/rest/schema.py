from drf_spectacular.openapi import AutoSchema

from api.rest.errors import ErrorSerializer

ERROR_STATUSES = {
    "400": "A filter the endpoint cannot read (code invalid_filter).",
    "401": "No valid credentials: the token is unknown, expired or revoked (code invalid_token).",
    "403": "The account lacks the permission, or a token was sent with a write method (code token_scope).",
    "404": "No such record (code not_found).",
    "429": "Too many requests (code throttled; details.retry_after_seconds).",
}


class ApiAutoSchema(AutoSchema):
    """Every operation documents the one error shape (api/rest/errors.py) for each error status."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, description in ERROR_STATUSES.items():
            response = self._get_response_for_code(ErrorSerializer, status)
            response["description"] = description
            responses.setdefault(status, response)
        return responses
