"""What apps above reports add to the special session's report page (e.g. outcomes: the previous
workshop's recommendations beside this one's), without reports importing them.

A panel is called as ``panel(session=..., request=...)`` and returns HTML, or "" to show nothing.
"""

from collections.abc import Callable

_panels: list[Callable] = []


def add_special_session_panel(panel: Callable) -> None:
    if panel not in _panels:
        _panels.append(panel)


def special_session_panels(*, session, request) -> list[str]:
    return [html for panel in _panels if (html := panel(session=session, request=request))]
