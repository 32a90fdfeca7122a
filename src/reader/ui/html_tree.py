"""A sanitised body as a small tree, parsed by the standard library's HTMLParser.

The article view rewrites every body it shows (article_html.qt_body). lxml did that at the
cost of importing it with the first article, 10-15 ms of a start-up that otherwise needs no
lxml; the bodies are the sanitiser's own output (closed tags, allow-listed elements), which
HTMLParser reads in well under a millisecond. Text nodes are plain strings among the
children; entities are decoded on parsing and escaped again on output.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Bodies are read back as lxml (libxml2) read them, also where the sanitiser's tree was not
# nested as HTML allows (<b> around a <p>, a body from an older version): a start tag closes
# the open elements named here, innermost first, as long as they are innermost. Found by
# parsing <X>a<Y>b</Y>c</X> with lxml for every pair of the tags the sanitiser keeps.
_CLOSES = {
    "p": frozenset({"p", *_HEADINGS, "b", "i"}),
    **{h: frozenset({"p"}) for h in _HEADINGS},
    "ul": frozenset({"p", "pre"}), "ol": frozenset({"p"}),
    "li": frozenset({"p", *_HEADINGS, "li", "dl", "pre"}),
    "dl": frozenset({"p", "dt", "pre"}), "dt": frozenset({"p", "dd", "pre"}),
    "dd": frozenset({"p", "dt", "pre"}),
    "table": frozenset({"p", *_HEADINGS, "a", "pre"}),
    "thead": frozenset({"caption"}),
    "tbody": frozenset({"p", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"}),
    "tfoot": frozenset({"p", "thead", "tbody", "tr", "th", "td", "caption"}),
    "tr": frozenset({"p", "tr", "th", "td", "caption"}),
    "th": frozenset({"p", "th", "td", "a", "b", "i"}),
    "td": frozenset({"p", "th", "td", "a", "b", "i"}),
    "caption": frozenset({"p"}), "blockquote": frozenset({"p"}), "pre": frozenset({"p", "ul"}),
    "hr": frozenset({"p"}), "div": frozenset({"p"}), "a": frozenset({"a"}),
}
# An end tag closes what is open inside its element, unless that holds a table's part or a
# division (libxml2's end priorities): then the end tag is ignored.
_END_PRIORITY = {"div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180,
                 "tfoot": 180, "table": 190}


class Element:
    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str | None] | None = None,
                 parent: Element | None = None) -> None:
        self.tag = tag
        self.attrs: dict[str, str | None] = attrs or {}
        self.children: list[Element | str] = []
        self.parent = parent

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""

    def set(self, name: str, value: str) -> None:
        self.attrs[name] = value

    def elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]

    def iter(self, tag: str) -> Iterator[Element]:
        """This element and those under it named `tag`, in document order."""
        if self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text_content(self) -> str:
        return "".join(c if isinstance(c, str) else c.text_content() for c in self.children)

    def leading_text(self) -> str:
        """The text before the first child element (lxml's `.text`)."""
        text = []
        for child in self.children:
            if isinstance(child, Element):
                break
            text.append(child)
        return "".join(text)

    def tail(self) -> str:
        """The text between this element and the next one (lxml's `.tail`)."""
        if self.parent is None:
            return ""
        siblings = self.parent.children
        text = []
        for child in siblings[siblings.index(self) + 1:]:
            if isinstance(child, Element):
                break
            text.append(child)
        return "".join(text)

    def next_element(self) -> Element | None:
        if self.parent is None:
            return None
        siblings = self.parent.children
        return next((c for c in siblings[siblings.index(self) + 1:] if isinstance(c, Element)),
                    None)

    def drop(self) -> None:
        """Remove the element and what it holds; the text after it stays."""
        if self.parent is not None:
            self.parent.children.remove(self)
            self.parent = None

    def wrap(self, tag: str) -> Element:
        """Put the element inside a new one, in its place; the text after it stays outside."""
        assert self.parent is not None
        block = Element(tag, parent=self.parent)
        siblings = self.parent.children
        siblings[siblings.index(self)] = block
        block.children.append(self)
        self.parent = block
        return block

    def add_next(self, tag: str, text: str) -> Element:
        """A new element holding `text`, after this one and the text that follows it (where
        lxml's addnext puts it)."""
        assert self.parent is not None
        element = Element(tag, parent=self.parent)
        element.children.append(text)
        siblings = self.parent.children
        at = siblings.index(self) + 1
        while at < len(siblings) and isinstance(siblings[at], str):
            at += 1
        siblings.insert(at, element)
        return element

    def html(self) -> str:
        attrs = "".join(_attribute(name, value) for name, value in self.attrs.items())
        if self.tag in VOID:
            return f"<{self.tag}{attrs}>"
        return f"<{self.tag}{attrs}>{self.inner_html()}</{self.tag}>"

    def inner_html(self) -> str:
        return "".join(c.html() if isinstance(c, Element) else escape(c, quote=False)
                       for c in self.children)


def _attribute(name: str, value: str | None) -> str:
    if value is None:
        return f" {name}"
    if '"' in value and "'" not in value:  # quoted as lxml quotes it
        return f" {name}='{escape(value, quote=False)}'"
    return f' {name}="{escape(value, quote=False).replace(chr(34), "&quot;")}"'


def parse(fragment: str) -> Element:
    """The fragment's nodes under a <div>."""
    builder = _Builder()
    builder.feed(fragment)
    builder.close()
    return builder.root


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("div")
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        closes = _CLOSES.get(tag, frozenset())
        while len(self._open) > 1 and self._open[-1].tag in closes:
            self._open.pop()
        parent = self._open[-1]
        element = Element(tag, {}, parent)
        for name, value in attrs:
            element.attrs.setdefault(name, value)  # the first of a repeated name, as lxml
        parent.children.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        priority = _END_PRIORITY.get(tag, 100)
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return
            if _END_PRIORITY.get(self._open[depth].tag, 100) > priority:
                return
        # an end tag with nothing open to close: ignored

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)
