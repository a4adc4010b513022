"""Per-page work of MkDocs that comes out the same on most pages, done once.

Part of the MkDocs adapter (mkdocs_adapter: on_env, on_pre_page). At 10,000 cases,
MkDocs renders ~12,000 pages, and two of its steps give every generated page the
same result while costing a third of its time:

- Material's navigation and tabs. What they show depends on the page only through
  the links, which are relative to the page's URL, and through which entry is marked
  active. So a page that is not in the navigation, and whose links to every
  navigation target come out the same as an earlier page's, gets that page's HTML.
  Any other page (one in the navigation, or with an active entry) is rendered as usual.
- The Markdown step. A generated page's source is only its front matter and the
  adapter's marker (its HTML goes in later), so after one real conversion of the
  marker, the others take its result instead of building a Markdown converter each.
"""

from __future__ import annotations

from jinja2 import TemplateNotFound

PARTIALS = ("partials/nav.html", "partials/tabs.html")


def cache_partials(env, config, nav) -> None:
    """Wrap the navigation partials of `env` with a cache for this build (a new one
    each build: the navigation and the configuration may have changed)."""
    targets = _targets(nav, config)
    for name in PARTIALS:
        try:
            template = env.get_template(name)
        except TemplateNotFound:  # a theme without this partial: nothing to cache
            continue
        original = getattr(template, "_dx_original", None) or template.root_render_func
        template._dx_original = original
        template.root_render_func = _cached(original, nav, targets)


def _targets(nav, config) -> list[str]:
    """Every value the partials pass through the `url` filter: the navigation's entries
    (pages, sections' first pages, links), the home page and the logo."""
    found = []

    def walk(items) -> None:
        for item in items:
            url = getattr(item, "url", None)
            if url is not None:
                found.append(str(url))
            walk(getattr(item, "children", None) or [])

    walk(nav.items)
    homepage = config.extra.get("homepage")
    found.append(str(homepage or (nav.homepage.url if nav.homepage else "")))
    found.append(str(config.theme.get("logo") or ""))
    return found


def _any_active(items) -> bool:
    return any(getattr(item, "active", False) or _any_active(getattr(item, "children", None) or []) for item in items)


def _cached(render, nav, targets: list[str]):
    results: dict[tuple, str] = {}

    def root_render_func(context):
        page = context.get("page")
        url = context.environment.filters.get("url")
        if page is None or url is None or context.get("nav") is not nav or page in nav.pages \
                or _any_active(nav.items):
            yield from render(context)
            return
        key = (context.get("base_url"), *(url(context, target) for target in targets))
        html = results.get(key)
        if html is None:
            html = results[key] = "".join(render(context))
        yield html

    return root_render_func


# What Page.render sets on a page; a result is reused only when these are all it set.
RENDERED = {"content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors"}


class MarkerRender:
    """Page.render for generated pages (on_pre_page puts it on each one)."""

    def __init__(self) -> None:
        self.source: str | None = None
        self.result: dict | None = None  # the attributes the real render set, when reusable
        self.reusable = True

    def render(self, page, config, files) -> None:
        if self.result is not None and page.markdown == self.source:
            from mkdocs.structure.toc import get_toc
            for name, value in self.result.items():
                setattr(page, name, value() if callable(value) else value)
            page.toc = get_toc([])
            return
        before = dict(vars(page))
        type(page).render(page, config, files)
        if self.result is None and self.reusable:
            self._keep(page, before)

    def _keep(self, page, before: dict) -> None:
        changed = {name for name, value in vars(page).items() if name not in before or before[name] is not value}
        # only a conversion that left the marker as it was, with no headings, anchors or links
        if changed - RENDERED or page.content != page.markdown.strip() or len(page.toc.items) \
                or page.present_anchor_ids or page.links_to_anchors or page._title_from_render is not None:
            self.reusable = False
            return
        self.source = page.markdown
        self.result = {"content": page.content, "_title_from_render": None, "present_anchor_ids": set,
                       "links_to_anchors": None if page.links_to_anchors is None else dict}
