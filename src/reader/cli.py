"""Headless commands over the same Library the GUI uses. `reader` alone opens the window."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader import config
from reader.errors import ReaderError, setting_error
from reader.interop.export import FORMATS
from reader.library import Library
from reader.types import ArticleFilter, ParsedSource, Progress, SourceResult, StoredArticle, iso


def _common(suppress: bool) -> argparse.ArgumentParser:
    # Subcommands repeat the options but must not reset what was given before the command.
    default = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=default,
                        help="library folder (default: $READER_DATA_DIR or the user data folder)")
    common.add_argument("-v", "--verbose", action="store_true",
                        default=default if suppress else False, help="log what happens")
    return common


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", parents=[_common(False)],
                                     description="A news reader with an offline cache.")
    common = _common(True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, parents=[common])

    p = command("add", "subscribe to a feed, a portal section page, or a page that has a feed")
    p.add_argument("url")
    p.add_argument("--title")
    p.add_argument("--folder", default="", help="folder path, e.g. News/Tech")
    p.add_argument("--rule", metavar="RULE_JSON",
                   help="an XPath rule for a page whose list Reader misses (see test-rule)")
    command("sources", "list the subscriptions").add_argument("--json", action="store_true")
    command("remove", "unsubscribe (favourites stay)").add_argument("source_id", type=int)
    p = command("update", "fetch new articles from every source whose update interval passed")
    p.add_argument("--source", type=int, metavar="ID", help="this source, even if updated lately")
    p.add_argument("--all", action="store_true",
                   help="every source, even those updated within their own interval")
    p = command("list", "list articles, newest first")
    p.add_argument("--source", type=int, metavar="ID")
    p.add_argument("--unread", action="store_true")
    p.add_argument("--favourites", action="store_true")
    p.add_argument("--tag", help="favourites carrying this tag")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p = command("show", "print one article")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    for name, help in (("fav", "save as favourite"), ("unfav", "remove from favourites"),
                       ("read", "mark read"), ("unread", "mark unread")):
        command(name, help).add_argument("id", type=int)
    p = command("mark-all-read", "mark every article (of one source) read")
    p.add_argument("--source", type=int, metavar="ID")
    p = command("tag", "set a favourite's tags (none: clear them); tagging saves a favourite")
    p.add_argument("id", type=int)
    p.add_argument("tags", nargs="*", metavar="TAG")
    p = command("clean", "remove old articles (favourites and what they link to stay)")
    p.add_argument("--days", type=int, metavar="N", help="remove articles older than N days")
    p.add_argument("--keep", type=int, metavar="N", help="keep the newest N of each source")
    command("import-opml", "subscribe to the feeds of an OPML file (nothing is fetched)"
            ).add_argument("file", type=Path)
    command("export-opml", "write the subscriptions as OPML 2.0").add_argument("file", type=Path)
    p = command("export", "export favourites or a search's hits, offline from the cache")
    p.add_argument("out", type=Path, help="a file; a folder for md")
    p.add_argument("--format", choices=FORMATS, default="html")
    chosen = p.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--favourites", action="store_true")
    chosen.add_argument("--search", metavar="QUERY")
    command("install-desktop", "add Reader to the desktop's application menu (~/.local/share)")
    p = command("search", "full-text search over titles and bodies")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p = command("extract", "extract one page without touching the library")
    p.add_argument("target", metavar="PATH_OR_URL")
    p.add_argument("--url", help="the page's address, when reading it from a file")
    p.add_argument("--json", action="store_true")
    p = command("settings", "show or change a setting")
    p.add_argument("name", nargs="?")
    p.add_argument("value", nargs="?")
    p = command("source-settings", "show or change a source's own settings")
    p.add_argument("source_id", type=int, metavar="ID")
    p.add_argument("name", nargs="?")
    p.add_argument("value", nargs="?")
    p = command("test-rule", "show what an XPath rule reads off a page, storing nothing")
    p.add_argument("url")
    p.add_argument("rule", metavar="RULE_JSON",
                   help='e.g. {"links": "//ul[@class=\'list\']/li/a"}; with links: a listing')
    p.add_argument("--json", action="store_true")
    command("sync", "sync subscriptions, read state and favourites with the feed server")
    p = command("sync-login", "set the feed server to sync with (Fever or Google Reader API) "
                "and check the login")
    p.add_argument("endpoint", help="the server's Fever or Google Reader API address, e.g. "
                   "https://host/api/fever.php or https://host/api/greader.php")
    p.add_argument("email", help="the account's email or user name")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input instead of a prompt")
    command("backup", "write a consistent copy of the library").add_argument("path", type=Path)
    command("restore", "replace the library with a backup").add_argument("path", type=Path)
    p = command("screenshot", "render the main window to a PNG")
    p.add_argument("out", type=Path)
    p.add_argument("--article", type=int, metavar="ID")
    p.add_argument("--size", default="1280x800")
    p.add_argument("--theme", default="light", choices=("light", "dark"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return _run(args)
    except ReaderError as e:
        print(f"reader: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `reader list | head`: the reader of our output left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "extract":
        return _extract(args)
    data_dir = config.data_dir(args.data_dir)
    if args.command is None:
        from reader.ui.app import run
        return run(data_dir)
    if args.command == "screenshot":
        from reader.ui.screenshot import render
        width, _, height = args.size.partition("x")
        render(data_dir, args.out, article_id=args.article, size=(int(width), int(height)),
               theme=args.theme)
        print(args.out)
        return 0
    if args.command == "install-desktop":
        from reader.desktop import install
        for path in install():
            print(f"installed {path}")
        return 0
    if args.command == "restore":
        from reader.store.storage import Store
        Store.restore(data_dir, args.path)
        print(f"restored {args.path}")
        return 0
    if Library.needs_migration(data_dir):
        print("reader: bringing the library to this version's format (once; a copy is kept)",
              file=sys.stderr)
    with Library(data_dir) as library:
        return COMMANDS[args.command](library, args)


def _extract(args: argparse.Namespace) -> int:
    from reader.fetch.http import Fetcher
    from reader.parse.article import extract

    target = args.target
    if "://" in target:
        fetcher = Fetcher()
        try:
            response = fetcher.get(target)
        finally:
            fetcher.close()
        article = extract(response.body, args.url or response.url, http_charset=response.charset)
    else:
        path = Path(target)
        try:
            body = path.read_bytes()
        except OSError as e:
            raise ReaderError(f"cannot read {path}: {e.strerror}") from e
        if path.suffix == ".gz":
            import gzip
            body = gzip.decompress(body)
        article = extract(body, args.url or path.resolve().as_uri())
    if args.json:
        _print_json(article.to_json())
    else:
        print(article.title)
        print(article.text)
    return 0


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _add(library: Library, args: argparse.Namespace) -> int:
    added = library.add_source(args.url, title=args.title, folder=args.folder,
                               rule=args.rule)
    s = added.source
    print(f"added source {s.id}: {s.title} ({s.kind}, {added.found} articles found)")
    print("run `reader update` to fetch them")
    return 0


def _sources(library: Library, args: argparse.Namespace) -> int:
    sources = library.sources()
    if args.json:
        _print_json([{"id": s.id, "url": s.url, "kind": s.kind, "title": s.title,
                      "folder": s.folder, "unread": s.unread, "total": s.total,
                      "last_error": s.last_error}
                     for s in sources])
        return 0
    for s in sources:
        state = f"  ! {s.last_error}" if s.last_error else ""
        folder = f"{s.folder}/" if s.folder else ""
        print(f"{s.id:>4}  {s.kind:<7} {s.unread:>5}/{s.total:<5} {folder}{s.title}  "
              f"<{s.url}>{state}")
    return 0


def _remove(library: Library, args: argparse.Namespace) -> int:
    gone = library.remove_source(args.source_id)
    print(f"removed source {args.source_id} and {gone} articles (favourites kept)")
    return 0


class _Bar:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.lock = threading.Lock()

    def __call__(self, p: Progress) -> None:
        if not self.tty:
            return
        width = 30
        filled = width * p.done // max(p.total, 1)
        with self.lock:
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                             f"{p.done}/{p.total} {p.source[:40]:<40}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\r" + " " * 90 + "\r")


def _update(library: Library, args: argparse.Namespace) -> int:
    bar = _Bar()
    try:
        results = library.update(source_id=args.source, force=args.all, progress=bar)
    finally:
        bar.close()
    for r in results:
        print(_summary(r))
    skipped = len(library.sources()) - len(results) if args.source is None else 0
    if skipped:
        print(f"{skipped} sources skipped: updated within their own update interval "
              "(--all updates them)")
    return 1 if results and all(r.error for r in results) else 0


def _summary(r: SourceResult) -> str:
    line = (f"{r.source_id:>4} {r.title}: {r.new} new, {r.updated} updated, "
            f"{r.unchanged} unchanged, {r.failed} failed")
    if r.not_modified:
        line = f"{r.source_id:>4} {r.title}: not modified since the last update"
    if r.error:
        line += f"; FAILED: {r.error}"
    for reason in r.errors[:3]:
        line += f"\n       {reason}"
    if len(r.errors) > 3:
        line += f"\n       ... and {len(r.errors) - 3} more"
    return line


def _list(library: Library, args: argparse.Namespace) -> int:
    rows = library.articles(ArticleFilter(source_id=args.source, unread=args.unread,
                                          favourites=args.favourites, tag=args.tag),
                            limit=args.limit)
    if args.json:
        _print_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        mark = ("*" if r.is_favourite else " ") + (" " if r.is_read else "•")
        date = r.published.strftime("%Y-%m-%d %H:%M") if r.published else " " * 16
        print(f"{r.id:>6} {mark} {date}  {r.title}  [{r.source}]")
    return 0


def _show(library: Library, args: argparse.Namespace) -> int:
    stored = library.article(args.id)
    if args.json:
        _print_json(stored.to_json())
    else:
        print(_format(stored))
    return 0


def _format(stored: StoredArticle) -> str:
    a = stored.article
    meta = [f"来源: {a.source}" if a.source else "", f"作者: {a.author}" if a.author else "",
            a.published.strftime("%Y-%m-%d %H:%M %z") if a.published else "",
            f"{a.views}次浏览" if a.views is not None else ""]
    lines = []
    if a.breadcrumb:
        lines.append(" > ".join(a.breadcrumb))
    lines += [a.title, "  ".join(m for m in meta if m),
              f"{a.url}{'  ★ favourite' if stored.is_favourite else ''}", "", a.text]
    if a.images:
        lines += ["", "Images:"]
        lines += [f"  {i.url}" + (f"\n    {i.caption}" if i.caption else "") for i in a.images]
    if stored.related:
        lines += ["", "相关文章 / Related:"]
        for r in stored.related:
            state = f"cached as {r.article_id}" if r.article_id else "not cached"
            date = r.published.strftime("%Y-%m-%d %H:%M") if r.published else ""
            lines.append(f"  [{state}] {r.title}  {date}")
            if r.snippet:
                lines.append(f"      {r.snippet[:100]}")
    return "\n".join(lines)


def _mark(library: Library, args: argparse.Namespace) -> int:
    if args.command in ("fav", "unfav"):
        library.set_favourite(args.id, args.command == "fav")
    else:
        library.set_read(args.id, args.command == "read")
    print(f"{args.id}: {args.command}")
    return 0


def _mark_all_read(library: Library, args: argparse.Namespace) -> int:
    print(f"marked {library.mark_all_read(args.source)} articles read")
    return 0


def _tag(library: Library, args: argparse.Namespace) -> int:
    tags = library.set_tags(args.id, args.tags)
    print(f"{args.id}: {', '.join(tags) if tags else 'no tags'}")
    return 0


def _clean(library: Library, args: argparse.Namespace) -> int:
    print(f"removed {library.clean(days=args.days, keep=args.keep)} articles "
          "(favourites and what they link to kept)")
    return 0


def _import_opml(library: Library, args: argparse.Namespace) -> int:
    result = library.import_opml(args.file)
    for s in result.added:
        print(f"added source {s.id}: {s.folder + '/' if s.folder else ''}{s.title} <{s.url}>")
    print(f"{len(result.added)} added, {result.skipped} already subscribed; "
          "run `reader update` to fetch them")
    return 0


def _export_opml(library: Library, args: argparse.Namespace) -> int:
    print(f"wrote {library.export_opml(args.file)} subscriptions to {args.file}")
    return 0


def _export(library: Library, args: argparse.Namespace) -> int:
    count = library.export(args.out, args.format, favourites=args.favourites,
                           query=args.search)
    print(f"exported {count} articles to {args.out}")
    return 0


def _search(library: Library, args: argparse.Namespace) -> int:
    hits = library.search(args.query, limit=args.limit)
    if args.json:
        _print_json([h.to_json() for h in hits])
        return 0
    if not hits:
        print("no matches")
    for h in hits:
        print(f"{h.id:>6}  {h.title}  [{h.source}]\n        {h.snippet}")
    return 0


def _settings(library: Library, args: argparse.Namespace) -> int:
    if args.name and args.value is not None:
        library.set_setting(args.name, args.value)
    for s in config.SETTINGS:
        if args.name in (None, s.name):
            value = library.setting(s.name)
            shown = "(set, not shown)" if s.secret and value else repr(value)
            print(f"{s.name} = {shown}    # {s.description}")
    return 0


def _source_settings(library: Library, args: argparse.Namespace) -> int:
    if args.name and args.value is not None:
        library.set_source_setting(args.source_id, args.name, args.value)
    elif args.name:
        try:
            config.declared(args.name, config.SOURCE_SETTINGS)
        except KeyError as e:
            raise setting_error(e) from e
    values = library.source_settings(args.source_id)
    for s in config.SOURCE_SETTINGS:
        if args.name in (None, s.name):
            value = json.dumps(values[s.name], ensure_ascii=False) if s.type is dict \
                else repr(values[s.name])
            print(f"{s.name} = {value}    # {s.description}")
    return 0


def _test_rule(library: Library, args: argparse.Namespace) -> int:
    found = library.test_rule(args.url, args.rule)
    if isinstance(found, ParsedSource):
        if args.json:
            _print_json([{"url": e.url, "title": e.title} for e in found.entries])
            return 0
        print(f"{len(found.entries)} entries on {found.title or args.url}"
              + (f"; next page {found.next_page}" if found.next_page else ""))
        for e in found.entries:
            print(f"  {e.title}  <{e.url}>")
        return 0
    if args.json:
        _print_json(found.to_json())
        return 0
    print(found.title)
    print(iso(found.published) or "(no date)")
    print(found.text[:500])
    return 0


def _sync(library: Library, args: argparse.Namespace) -> int:
    bar = _Bar()
    try:
        result = library.sync(progress=bar)
    finally:
        bar.close()
    print(f"{_count(result.feeds, 'subscription')} and {_count(result.items, 'article')} "
          f"pulled, {_count(result.pushed, 'change')} sent, {result.pending} waiting")
    if result.skipped:
        print(f"{_count(result.skipped, 'server item')} without a web link not stored")
    if result.conflicts:
        print(f"{len(result.conflicts)} conflicts (the change made here was kept):")
        for conflict in result.conflicts:
            print(f"  {conflict}")
    if result.error:
        print(f"reader: sync failed: {result.error}", file=sys.stderr)
        return 1
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _sync_login(library: Library, args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass
        password = getpass.getpass(f"Password for {args.email}: ")
    protocol = library.set_sync_account(args.endpoint, args.email, password)
    api = "Google Reader API" if protocol == "greader" else "Fever API"
    print(f"logged in to {library.setting('sync_endpoint')} ({api}); run `reader sync`")
    return 0


def _backup(library: Library, args: argparse.Namespace) -> int:
    library.backup(args.path)
    print(f"wrote {args.path}")
    return 0


COMMANDS = {
    "add": _add, "sources": _sources, "remove": _remove, "update": _update, "list": _list,
    "show": _show, "fav": _mark, "unfav": _mark, "read": _mark, "unread": _mark,
    "mark-all-read": _mark_all_read, "search": _search, "settings": _settings,
    "source-settings": _source_settings, "test-rule": _test_rule,
    "backup": _backup, "tag": _tag, "clean": _clean, "import-opml": _import_opml,
    "export-opml": _export_opml, "export": _export, "sync": _sync, "sync-login": _sync_login,
}
