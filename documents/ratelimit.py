"""A fixed-window limit on the public verification page, per client address, counted in the cache.

The cache is Redis in production (`incr` is atomic there, so every web process counts together) and
local memory in the embedded mode. The client address is the one allauth's login limits use
(`ALLAUTH_TRUSTED_PROXY_COUNT` / `ALLAUTH_TRUSTED_CLIENT_IP_HEADER` say which header a proxy sets).
With the cache down the page answers rather than fail: the codes' 144 bits are the real defence.
"""

import hashlib
import logging
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def verify_rate_exceeded(request) -> bool:
    """Count this request; True once the address went past DOCUMENT_VERIFY_RATE_LIMIT in this minute."""
    limit = settings.DOCUMENT_VERIFY_RATE_LIMIT
    if limit <= 0:
        return False
    period = 60
    try:
        address = get_adapter(request).get_client_ip(request)
    except Exception:  # no address at all: one shared bucket
        address = "unknown"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]  # no address stored in the cache in clear
    key = f"documents:verify:{digest}:{int(time.time() // period)}"
    try:
        cache.add(key, 0, timeout=period * 2)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period * 2)
        count = 1
    except Exception:
        logger.warning("verification rate limit unavailable (cache error)", exc_info=True)
        return False
    return count > limit
