"""The read API asked with an API token of every role (tests/security/permission_matrix.py,
API_TOKEN_MATRIX): the same answers a session gets, read only, and 401 for a revoked token."""

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create
from tests.security.matrix_walk import matrix_routes
from tests.security.permission_matrix import API_TOKEN_MATRIX, MATRIX
from tests.security.roles import ROLES, build_world
from tests.security.urls import fill

pytestmark = pytest.mark.django_db

TOKEN_COLUMNS = (*ROLES[1:], "focal_point", "revoked")


def test_every_api_endpoint_has_a_row_for_tokens():
    api_keys = {key for key in MATRIX if key.startswith("api-") and key not in ("api-schema", "api-docs")}
    assert api_keys == set(API_TOKEN_MATRIX)


def test_every_token_gets_the_answer_the_matrix_expects():
    world = build_world()
    users = {role: world.users[role] for role in ROLES[1:]}
    users["focal_point"] = world.focal_points["focal_point"].user
    tokens = {role: api_token_create(user=user, name=role, valid_days=1)[1] for role, user in users.items()}
    revoked, tokens["revoked"] = api_token_create(user=world.users["organiser"], name="old", valid_days=1)
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    routes = dict(matrix_routes())
    differences = []
    for key, (get, post) in API_TOKEN_MATRIX.items():
        path = fill(routes[key], world.values)
        for method, expected in (("GET", get), ("POST", post)):
            for column, want in zip(("none", *TOKEN_COLUMNS), expected.split(), strict=True):
                headers = {} if column == "none" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[column]}"}
                response = getattr(Client(), method.lower())(path, **headers)
                if int(want) != response.status_code:
                    differences.append(
                        f"{method} {key} with {column}'s token: expected {want}, got {response.status_code}"
                    )
                if response.status_code >= 400:
                    assert set(response.json()) == {"error"}, (key, column)
    assert not differences, "\n".join(differences)
