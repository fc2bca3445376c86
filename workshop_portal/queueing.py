"""Handing tasks to the broker from the web process, without letting a broker outage break a request."""

import logging

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, **kwargs) -> bool:
    """Send `task` with keyword arguments. False, logged, when the broker cannot be reached.

    Callers keep their rows in a state that says so, and a periodic job or the user tries again;
    kombu gives up within a second when the broker refuses connections.
    """
    try:
        task.delay(**kwargs)
    except OperationalError:
        logger.error("broker unreachable: %s%s not queued", task.name, kwargs, exc_info=True)
        return False
    return True
