"""Markdown to sanitised HTML: content is admin-written, but rendered inert all the same."""

import markdown
import nh3

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br", "code", "blockquote", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
