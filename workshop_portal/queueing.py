"""Handing tasks to the broker from the web process, without letting a broker outage break a request."""

import logging

from kombu.exceptions import OperationalError

from workshop_portal.celery import app

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


def send(name: str, **kwargs) -> bool:
    """`enqueue` for a task known only by its name (`name=`): the caller need not import the module
    that defines it, so a service never imports its own app's tasks."""
    return enqueue(task_named(name), **kwargs)


def task_named(name: str):
    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery), once
    return app.tasks[name]
