"""Walks the URL resolver and checks every URL, for every role and method, against the matrix."""

import pytest
from django.db import transaction
from django.test import Client

from tests.security.matrix_walk import (
    PK_BY_NAME,
    _statuses,
    matrix_routes,
    user_account_routes,
    walk,
    walk_user_targets,
)
from tests.security.permission_matrix import DOCUMENT_MATRIX, FOCAL_POINT_MATRIX, MATRIX, USER_TARGET_MATRIX
from tests.security.roles import ACCOUNT_TARGETS, ROLES, build_world
from tests.security.urls import fill

pytestmark = pytest.mark.django_db

STAFF_ONLY = (
    "registrations:participants_pdf",
    "registrations:badges",
    "registrations:check_in",
    "reports:builds",
    "documents:workshop",
    "documents:batch_status",
)


def test_every_url_the_project_resolves_has_a_row_in_the_matrix():
    routes = {key for key, _route in matrix_routes()}
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"URLs without a row in tests/security/permission_matrix.py: {missing}"
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def test_every_role_gets_the_answer_the_matrix_expects():
    world = build_world()
    actual = walk(world, list(matrix_routes()))
    differences = []
    for key, (get, post) in MATRIX.items():
        for method, expected in (("GET", get), ("POST", post)):
            got = actual[key][method]
            for role, want, have in zip(ROLES, expected.split(), got, strict=True):
                if int(want) != have:
                    differences.append(f"{method} {key} as {role}: expected {want}, got {have}")
    assert not differences, "\n".join(differences)
    assert len(MATRIX) * len(ROLES) * 2 >= 2000


def test_no_one_without_a_staff_role_sees_a_staff_page_or_the_admin():
    non_staff = ROLES.index("secretariat")
    for key, (get, post) in MATRIX.items():
        if key.startswith("admin") or key in STAFF_ONLY:
            for statuses in (get, post):
                assert "200" not in statuses.split()[:non_staff], key


def test_delegates_never_reach_another_delegates_registration_or_presentation():
    other = ROLES.index("other_approved")
    owned = (
        "registrations:detail",
        "registrations:edit",
        "registrations:cancel",
        "presentations:detail",
        "presentations:edit",
        "presentations:upload",
        "presentations:withdraw",
        "presentations:create",
        "delegations:visa_request",
        "delegations:visa_withdraw",
        "documents:download",
    )
    for key in owned:
        get, post = MATRIX[key]
        assert get.split()[other] in ("404", "405"), key
        assert post.split()[other] in ("404", "405"), key


def test_every_account_page_of_the_user_admin_has_a_row_for_every_target():
    expected = {(key, target) for key, _route in user_account_routes() for target in ACCOUNT_TARGETS}
    assert len(expected) >= 5 * len(ACCOUNT_TARGETS)  # change, history, delete, password, the redirect
    assert set(USER_TARGET_MATRIX) == expected


def test_every_role_gets_the_answer_the_matrix_expects_about_every_account():
    actual = walk_user_targets(build_world())
    differences = []
    for (key, target), (get, post) in USER_TARGET_MATRIX.items():
        for method, expected in (("GET", get), ("POST", post)):
            got = actual[key, target][method]
            for role, want, have in zip(ROLES, expected.split(), got, strict=True):
                if int(want) != have:
                    differences.append(f"{method} {key} about {target} as {role}: expected {want}, got {have}")
    assert not differences, "\n".join(differences)


def test_the_matrix_lets_no_one_but_a_superuser_set_a_password_or_change_a_staff_account():
    only_superuser = [index for index, role in enumerate(ROLES) if role != "superuser"]
    for (key, target), (get, post) in USER_TARGET_MATRIX.items():
        if key in ("admin:auth_user_password_change", "admin:workshop_portal_user_delete"):
            for statuses in (get, post):
                assert all(statuses.split()[i] != "200" for i in only_superuser), (key, target)
        if key == "admin:workshop_portal_user_change" and target in ("second_organiser", "secretariat", "superuser"):
            for role in ("secretariat", "organiser"):
                assert post.split()[ROLES.index(role)] == "403", (key, target, role)


FOCAL_POINT_ROLES = ("focal_point", "other_focal_point")


def test_focal_points_see_their_own_delegation_and_never_another_states():
    world = build_world()
    routes = dict(matrix_routes())
    values = {**world.values, "pk": world.values["delegation"], "token": world.focal_points["focal_point"].token}
    per_route = {
        "delegations:replace": {"pk": world.values["nomination"]},
        "delegations:endorse": {"pk": world.values["registration"]},
        "delegations:visa_request": {"pk": world.values["registration"]},
        "delegations:visa_withdraw": {"pk": world.values["registration"]},
        "delegations:nomination": {"token": world.values["nomination_token"]},
        "documents:download": {"pk": world.values["document"]},
        "documents:download invitation_letter": {"pk": world.values["invitation_letter"]},
        "documents:download visa_letter": {"pk": world.values["visa_letter"]},
    }
    differences = []
    for key, (get, post) in FOCAL_POINT_MATRIX.items():
        if key.startswith("outcomes:") and key in PK_BY_NAME:
            per_route[key] = {"pk": world.values[PK_BY_NAME[key]]}
        path = fill(routes[key.split()[0]], {**values, **per_route.get(key, {})})
        for method, expected in (("GET", get), ("POST", post)):
            for role, want in zip(FOCAL_POINT_ROLES, expected.split(), strict=True):
                with transaction.atomic():
                    client = Client()
                    client.force_login(world.focal_points[role].user)
                    have = getattr(client, method.lower())(path).status_code
                    transaction.set_rollback(True)
                if int(want) != have:
                    differences.append(f"{method} {key} as {role}: expected {want}, got {have}")
    assert not differences, "\n".join(differences)
    focal_point_pages = {key for key in routes if key.startswith(("delegations:", "outcomes:"))}
    assert focal_point_pages <= set(FOCAL_POINT_MATRIX)
    # The focal point of the addressed state follows the item up; another state's is refused.
    update = FOCAL_POINT_MATRIX["outcomes:recommendation_update"]
    assert [statuses.split() for statuses in update] == [["200", "403"], ["200", "403"]]


def test_every_role_gets_the_answer_the_matrix_expects_about_each_kind_of_document():
    world = build_world()
    route = dict(matrix_routes())["documents:download"]
    differences = []
    for kind, (get, post) in DOCUMENT_MATRIX.items():
        actual = _statuses(world, fill(route, {**world.values, "pk": world.values[kind]}))
        for method, expected in (("GET", get), ("POST", post)):
            for role, want, have in zip(ROLES, expected.split(), actual[method], strict=True):
                if int(want) != have:
                    differences.append(
                        f"{method} documents:download of the {kind} as {role}: expected {want}, got {have}"
                    )
    assert not differences, "\n".join(differences)
    # A letter to a state is no delegate's: not even one of that state downloads it.
    assert DOCUMENT_MATRIX["invitation_letter"][0].split()[ROLES.index("approved")] == "404"
