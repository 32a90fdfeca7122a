"""The sanitiser: Reader's own (reader.parse.sanitize) against nh3 (the Ammonia binding).

    .venv/bin/python bench/sanitize.py [--shared ../shared] [--fuzz 3000] [--rounds 5]

Needs `pip install nh3 html5lib`. The nh3 variant keeps Reader's lxml passes (lazy images,
trackers, image addresses, the structure bounds) and gives nh3 the allow-list: the same tags,
attributes, schemes and dropped-with-content tags. Inputs:
- hostile: the hostile pieces of tests/reliability/test_hostile_content.py and
  tests/parse/test_sanitize.py (HOSTILE, and MXSS: mutation-XSS and parser-differential
  shapes), each in a paragraph of Chinese text, with the inputs themselves as the control;
- fuzz: inputs mutated by tests/reliability/fuzz.py from its seeds (seed 5);
- corpus: the body element Reader's extractor chose on each page of shared/corpus, before
  sanitising (what `sanitize_element` is given on the real path).
Each output is judged by parsing it as a browser does (html5lib) and as the reading view does
(lxml): unsafe if any element off the allow-list, any attribute off it (on*, style), or any
href/src not http(s) survives. Text kept is the share of the input's visible characters
(script and style text aside) found in the output; images, captions, tables and links are
counted. Time: the median per corpus body, parse included, alternated rounds, and the ratio.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import lxml.etree
import lxml.html
import nh3
from common import ROOT, SHARED, corpus_pages, timed

from reader.parse import sanitize as ours
from reader.parse.article import extract
from reader.parse.sanitize import (
    _ATTRS,
    DROP,
    KEEP,
    _bound_structure,
    _holder,
    image_source,
    is_tracker,
    remove_keep_tail,
    safe_url,
)

sys.path.insert(0, str(ROOT / "tests" / "reliability"))
sys.path.insert(0, str(ROOT / "tests" / "parse"))

from fuzz import mutate, seeds
from test_hostile_content import PIECES
from test_sanitize import HOSTILE, MXSS

URL = "http://example.org/news/2025/item.html"
FILLER = "市民在图书馆参加志愿者活动,社区交通和公园规划工程持续推进。"


def nh3_sanitize_element(element: lxml.html.HtmlElement, base_url: str) -> str:
    """nh3 for the allow-list; the lazy-image and tracker passes stay on lxml."""
    for img in list(element.iter("img")):
        src = safe_url(image_source(img), base_url)
        if not src or is_tracker(img, src):
            remove_keep_tail(img)
        else:
            img.set("src", src)
    _bound_structure(element)
    inner = lxml.html.tostring(element, encoding="unicode")
    schemes = {"http", "https", "file"} if base_url.startswith("file:") else {"http", "https"}
    return nh3.clean(inner, tags=set(KEEP), clean_content_tags=set(DROP),
                     # "*": none, or nh3 allows its generic lang and title everywhere
                     attributes={"*": set()} | {t: set(names) for t, names in _ATTRS.items()},
                     url_schemes=schemes, link_rel=None, strip_comments=True,
                     url_relative=("rewrite_with_base", base_url) if base_url else None).strip()


def nh3_sanitize(fragment_html: str, base_url: str) -> str:
    if not fragment_html or not fragment_html.strip():
        return ""
    holder = _holder(fragment_html)
    return nh3_sanitize_element(holder, base_url) if holder is not None else ""


SANITIZERS: dict[str, Callable[[str, str], str]] = {"reader": ours.sanitize, "nh3": nh3_sanitize}


def unsafe(output: str) -> list[str]:
    """What survives that could run or load something, as html5lib and lxml parse it."""
    found = []
    trees = [("html5lib", html5lib.parseFragment(output, namespaceHTMLElements=False))]
    if output.strip():
        trees.append(("lxml", lxml.html.fragment_fromstring(output, create_parent="div")))
    for parser, root in trees:
        for el in root.iter():
            if el is root or not isinstance(el.tag, str):
                continue
            tag = el.tag.rpartition("}")[2].lower()
            if tag not in KEEP:
                found.append(f"{parser}: <{tag}>")
            for name, value in el.attrib.items():
                name = str(name).rpartition("}")[2].lower()
                if name not in _ATTRS.get(tag, ()):
                    found.append(f"{parser}: <{tag} {name}>")
                elif name in ("href", "src"):
                    scheme = urlsplit(re.sub(r"[\x00-\x20]", "", value)).scheme.lower()
                    if scheme not in ("http", "https"):
                        found.append(f"{parser}: {name}={value[:40]!r}")
    return found


def visible(fragment: str) -> str:
    """The characters a reader could see: no markup, no script or style text, no spaces."""
    holder = _holder(fragment)
    if holder is None:
        return ""
    for node in list(holder.iter(*DROP, lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        remove_keep_tail(node)
    return re.sub(r"\s+", "", holder.text_content())


def kept_share(source: str, output: str) -> float:
    """Share of the source's visible characters found in the output's, in order of counts."""
    want = Counter(visible(source))
    if not want:
        return 1.0
    have = Counter(visible(output)) if output.strip() else Counter()
    return sum(min(n, have[c]) for c, n in want.items()) / sum(want.values())


def counts(output: str) -> Counter[str]:
    found: Counter[str] = Counter()
    if not output.strip():
        return found
    root = lxml.html.fragment_fromstring(output, create_parent="div")
    for el in root.iter("img", "figure", "figcaption", "table", "a"):
        if el.tag != "a" or el.get("href"):
            found[el.tag] += 1
    return found


def corpus_bodies(shared: Path) -> list[tuple[str, str]]:
    """(html, url) of the body element the extractor hands the sanitiser, per corpus page."""
    bodies: list[tuple[str, str]] = []
    original = ours.sanitize_element

    def capture(element: lxml.html.HtmlElement, base_url: str) -> str:
        bodies.append((lxml.html.tostring(element, encoding="unicode"), base_url))
        return original(element, base_url)

    ours.sanitize_element = capture
    try:
        for url, page in corpus_pages(shared):
            extract(page, url)
    finally:
        ours.sanitize_element = original
    return bodies


def judge(name: str, inputs: list[tuple[str, str]], *, control: bool = False) -> None:
    """One row per sanitiser; with `control`, first the inputs as they are, to show the
    judge finds what is there."""
    rows = {"none": lambda fragment, url: fragment} if control else {}
    for label, sanitizer in (rows | SANITIZERS).items():
        bad: Counter[str] = Counter()
        unsafe_outputs = errors = 0
        shares = []
        totals: Counter[str] = Counter()
        for fragment, url in inputs:
            try:
                out = sanitizer(fragment, url)
            except Exception:  # the finding: a sanitiser that raises on some input
                errors += 1
                continue
            found = unsafe(out)
            unsafe_outputs += bool(found)
            bad.update(set(found))
            shares.append(kept_share(fragment, out))
            totals += counts(out)
        print(f"{name:<8}{label:<8}{len(inputs):>7}{unsafe_outputs:>8}{errors:>8}"
              f"{min(shares):>9.3f}{statistics.median(shares):>9.3f}{statistics.mean(shares):>9.3f}"
              f"   img {totals['img']}, figure {totals['figure']}, figcaption "
              f"{totals['figcaption']}, table {totals['table']}, a[href] {totals['a']}")
        for finding, n in bad.most_common(8):
            print(f"{'':16}{n:>5} x {finding}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--fuzz", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    pieces = [*PIECES, *HOSTILE.strip().splitlines(), *MXSS]
    hostile = [(f"<p>{FILLER}{piece}{FILLER}</p>", URL) for piece in pieces]
    rng = random.Random(5)
    pool = seeds()
    fuzzed = [(mutate(rng, pool).decode("utf-8", "replace"), URL) for _ in range(args.fuzz)]
    corpus = corpus_bodies(args.shared)
    print(f"{'inputs':<8}{'':<8}{'count':>7}{'unsafe':>8}{'raised':>8}"
          f"{'kept min':>9}{'median':>9}{'mean':>9}   reading-view elements kept")
    judge("hostile", hostile, control=True)
    judge("fuzz", fuzzed)
    judge("corpus", corpus)

    # From the string (sanitize: parse included), and from the parsed body as the extractor
    # hands it over (sanitize_element: the tree is parsed before the clock starts).
    on_tree = {"reader": ours.sanitize_element, "nh3": nh3_sanitize_element}
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for name, sanitizer in SANITIZERS.items():
            times.setdefault(("string", name), []).extend(
                timed(lambda s=sanitizer, f=f, u=u: s(f, u))[0] for f, u in corpus)
            element = on_tree[name]
            for fragment, url in corpus:
                holder = _holder(fragment)
                if holder is not None:
                    times.setdefault(("tree", name), []).append(
                        timed(lambda e=element, h=holder, u=url: e(h, u))[0])
    for (path, name), values in times.items():
        median = statistics.median(values)
        reference = statistics.median(times[(path, "reader")])
        print(f"{path:<7}{name:<8} median {median:6.2f} ms per corpus body over {len(values)} "
              f"calls ({median / reference:.2f}x reader)")


if __name__ == "__main__":
    main()
