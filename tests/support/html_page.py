"""An HTML page read back as a tree with the standard library's parser, to find elements by their
attributes and read their text: the leaders' page tests compare it with `report --format json`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = frozenset({"meta", "br", "img", "input", "link", "hr", "source", "wbr", "area", "base", "col"})


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Descendants (and self) with the tag and every attribute given (data_x for data-x)."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and all(n.attrs.get(k) == v for k, v in wanted.items())]

    def one(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} × <{tag} {attrs}>"
        return found[0]

    def rows(self) -> list[Node]:
        """A table's body rows."""
        return [r for body in self.find_all("tbody") for r in body.children if isinstance(r, Node)]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_page(source: str | Path) -> Node:
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


URL_IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)


def outside_references(page: Node) -> list[str]:
    """Every src, href, xlink:href, srcset, action or CSS url(...) that names something other than a
    place in the page itself (#...)."""
    found = []
    for node in page.walk():
        for name in ("src", "href", "xlink:href", "srcset", "action", "data", "poster"):
            if name in node.attrs and not node.attrs[name].startswith("#"):
                found.append(f"<{node.tag} {name}={node.attrs[name]!r}>")
        for css in (node.attrs.get("style", ""), node.text if node.tag == "style" else ""):
            found += [f"url({u})" for u in URL_IN_CSS.findall(css) if not u.startswith("#")]
        if node.tag == "style" and "@import" in node.text:
            found.append("@import")
    return found


def number(text: str) -> int:
    """A whole number as the page writes it (1.234) read back."""
    return int(text.replace(".", ""))
