"""Writes of this app: API tokens and the personal calendar feed's secret."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import TOKEN_PREFIX, ApiToken, CalendarFeed, new_secret, token_digest
from workshop_portal.models import User

MAX_TOKENS_PER_USER = 20


class TokenLimitReachedError(Exception):
    pass


@transaction.atomic
def api_token_create(*, user: User, name: str, valid_days: int | None) -> tuple[ApiToken, str]:
    """A new read-only token for `user`: (the stored record, the token itself). Only its SHA-256
    is kept: the token is shown once, here, and can never be read back."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per person
    if ApiToken.objects.filter(user=user).usable().count() >= MAX_TOKENS_PER_USER:
        raise TokenLimitReachedError
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(days=valid_days) if valid_days else None
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(raw), prefix=raw[: len(TOKEN_PREFIX) + 4], expires_at=expires_at
    )
    return token, raw


def api_token_revoke(*, user: User, pk: int) -> bool:
    """Revokes one of `user`'s own tokens; False when they have no such token still in use."""
    return bool(ApiToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The usable token `raw` is, with its user, or None (unknown, revoked or expired)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    # Written at most once a minute: a busy client does not write on every request.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret for the person's feed: the old address stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.secret = new_secret()
        feed.save(update_fields=["secret", "created_at"])
    return feed
