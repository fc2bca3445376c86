"""Walks the URL resolver and checks every URL, for every role and method, against the matrix."""

import pytest

from tests.security.matrix_walk import matrix_routes, walk
from tests.security.permission_matrix import MATRIX
from tests.security.roles import ROLES, build_world

pytestmark = pytest.mark.django_db

STAFF_ONLY = ("registrations:participants_pdf", "registrations:badges", "registrations:check_in", "reports:builds")


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
    )
    for key in owned:
        get, post = MATRIX[key]
        assert get.split()[other] in ("404", "405"), key
        assert post.split()[other] in ("404", "405"), key
