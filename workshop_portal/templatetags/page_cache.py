"""{% cached_fragment fragment %}...{% endcached_fragment %}: the enclosed part from the page cache
(workshop_portal/page_cache.py) while the stamps of fragment.scopes are unchanged, else rendered
and kept."""

from django import template

from workshop_portal.page_cache import cached

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, fragment):
        self.nodelist = nodelist
        self.fragment = fragment

    def render(self, context):
        fragment = self.fragment.resolve(context)

        def render():
            html = self.nodelist.render(context)
            return html, fragment.valid_until() if fragment.valid_until else None

        return cached(fragment.key, fragment.scopes, render)


@register.tag
def cached_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the fragment (page_cache.Fragment)")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]))
