"""Every URL the project resolves, with sample arguments, for the tests that walk them all."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) for each URL pattern, admin included, depth first."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            child_namespace = namespace
            if pattern.namespace:
                child_namespace = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from iter_patterns(pattern.url_patterns, prefix + str(pattern.pattern), child_namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            full_name = f"{namespace}:{name}" if namespace and name else name
            yield prefix + str(pattern.pattern), full_name


def fill(route: str, values: dict) -> str:
    """A concrete path for a route like 'workshops/<slug:slug>/register/'."""
    import re

    def replace(match):
        return str(values[match.group(2)])

    path = re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "")
