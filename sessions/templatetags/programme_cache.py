"""{% programme_cache key %}...{% endprogramme_cache %}: the enclosed part from the cache when the
key (sessions.caching.programme_cache_key) has it, else rendered and kept. A key of None, or a
cache that cannot be reached, only means rendering it."""

from django import template

from sessions.caching import cache_get, cache_set

register = template.Library()


class ProgrammeCacheNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        html = cache_get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache_set(key, html)
        return html


@register.tag
def programme_cache(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the cache key")
    nodelist = parser.parse(("endprogramme_cache",))
    parser.delete_first_token()
    return ProgrammeCacheNode(nodelist, parser.compile_filter(bits[1]))
