"""Requests every URL as every role, each in a transaction rolled back afterwards."""

from django.apps import apps
from django.db import transaction
from django.test import Client

from tests.security.roles import ACCOUNT_TARGETS, ROLES, World
from tests.security.urls import fill, iter_patterns

PK_BY_NAME = {
    "registrations:detail": "registration",
    "registrations:edit": "registration",
    "registrations:cancel": "registration",
    "registrations:badge_download": "badge_batch",
    "presentations:detail": "presentation",
    "presentations:edit": "presentation",
    "presentations:upload": "presentation",
    "presentations:withdraw": "presentation",
    "presentations:download": "file",
    "presentations:download_pdf": "file",
    "reports:build_status": "build",
    "reports:build_download": "build",
    "reports:build_publish": "build",
    "delegations:detail": "delegation",
    "delegations:nominate": "delegation",
    "delegations:replace": "nomination",
    "admin:communications_outboundemail_html": "outbound_email",
    "admin:communications_message_preview": "message",
    "admin:communications_message_send_test": "message",
    "admin:communications_message_send": "message",
    "documents:download": "document",
    "documents:batch_status": "document_batch",
    "documents:batch_download": "document_batch",
    "worksessions:session_ics": "session_pk",
    "api:token_revoke": "api_token",
    "outcomes:survey_answer": "survey",
    "outcomes:survey_results": "survey",
    "outcomes:survey_results_csv": "survey",
    "outcomes:survey_results_xlsx": "survey",
    "outcomes:recommendation_detail": "recommendation",
    "outcomes:recommendation_update": "recommendation",
}


# Regular-expression routes (allauth's keys, the admin's app index and catch-all) get sample paths.
REGEX_SAMPLES = {
    "account_confirm_email": "/accounts/confirm-email/not-a-key/",
    "account_reset_password_from_key": "/accounts/password/reset/key/1-not-a-key/",
    "admin:app_list": "/admin/registrations/",
}
CATCH_ALL = "admin/(?P<url>.*)$"


def matrix_routes():
    """(key, route or sample path) of every URL pattern the project resolves."""
    for route, name in iter_patterns():
        if route == CATCH_ALL:
            yield "admin catch-all", "/admin/no-such-page/"
        elif "(?P<" in route:
            yield name, REGEX_SAMPLES[name]
        else:
            yield (name or route), route


def _first_pk(admin_name: str) -> int:
    app_and_model = admin_name.removeprefix("admin:").rsplit("_", 1)[0]
    for model in apps.get_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == app_and_model:
            first = model.objects.order_by("pk").first()
            return first.pk if first is not None else 999999
    raise LookupError(admin_name)


def walk(world: World, routes) -> dict:
    """{key: {"GET": [status per role], "POST": [...]}} for the given routes."""
    results = {}
    for key, route in routes:
        values = dict(world.values)
        if key in PK_BY_NAME:
            values["pk"] = world.values[PK_BY_NAME[key]]
        else:
            values.setdefault("pk", world.values["registration"])
        if "<path:object_id>" in route and key.startswith("admin:") and key != "admin:view_on_site":
            # The admin pages of one object: an object of that very model, the same in every run.
            values["object_id"] = _first_pk(key)
        path = route if route.startswith("/") else fill(route, values)
        results[key] = _statuses(world, path)
    return results


def _statuses(world: World, path: str) -> dict:
    """{"GET": [status per role], "POST": [...]} for one path."""
    results = {}
    for method in ("GET", "POST"):
        statuses = []
        for role in ROLES:
            # A fresh client and session each time: a logout or a POST changes nothing for the next.
            with transaction.atomic():
                client = Client(raise_request_exception=True)
                if world.users[role] is not None:
                    client.force_login(world.users[role])
                response = getattr(client, method.lower())(path)
                statuses.append(response.status_code)
                transaction.set_rollback(True)
        results[method] = statuses
    return results


def user_account_routes():
    """(key, route) of every admin page of the user model that names one account."""
    for route, name in iter_patterns():
        if route.startswith("admin/workshop_portal/user/") and ("<id>" in route or "<path:object_id>" in route):
            yield (name or route), route


def walk_user_targets(world: World) -> dict:
    """{(key, target): {"GET": [...], "POST": [...]}}: each account page, about each account of ACCOUNT_TARGETS."""
    results = {}
    for key, route in user_account_routes():
        for target in ACCOUNT_TARGETS:
            pk = world.accounts[target].pk
            results[key, target] = _statuses(world, fill(route, {"id": pk, "object_id": pk}))
    return results
