"""The CLI's commands over the same Library the GUI uses, each registered with its help and
arguments (`reader.cli_table`); `reader.cli` comes here only when a command is given, so the
window's start imports none of it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import config, terminal
from reader.cli_table import COMMANDS, JSON, OneOf, arg, command, integer, parser
from reader.errors import ReaderError, setting_error
from reader.interop import FORMATS
from reader.library import Library, restore
from reader.terminal import ProgressBar, article_text, count, print_json, update_summary
from reader.types import ArticleFilter, ParsedSource


def parse(argv: Sequence[str]) -> argparse.Namespace:
    return parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """The command `args` names (not None: that is the window)."""
    spec = COMMANDS[args.command]
    if not spec.library:
        return spec.run(args)
    data_dir = config.data_dir(args.data_dir)
    if Library.needs_migration(data_dir):
        print("reader: bringing the library to this version's format (once; a copy is kept)",
              file=sys.stderr)
    with Library(data_dir) as library:
        return spec.run(library, args)


@command("add", "subscribe to a feed, a portal section page, or a page that has a feed",
         arg("url"), arg("--title"),
         arg("--folder", default="", help="folder path, e.g. News/Tech"),
         arg("--rule", metavar="RULE_JSON",
             help="an XPath rule for a page whose list Reader misses (see test-rule)"))
def _add(library: Library, args: argparse.Namespace) -> int:
    added = library.add_source(args.url, title=args.title, folder=args.folder,
                               rule=args.rule)
    s = added.source
    articles = count(added.found, "article")
    found = (f"{articles} on the first page; `reader update` follows the next pages too"
             if s.kind == "listing" else f"{articles} in the feed")
    print(f"added source {s.id}: {s.title} <{s.url}> ({s.kind}, {found})")
    print("run `reader update` to fetch them")
    return 0


@command("sources", "list the subscriptions", JSON)
def _sources(library: Library, args: argparse.Namespace) -> int:
    sources = library.sources()
    if args.json:
        print_json([terminal.source_json(s) for s in sources])
        return 0
    for s in sources:
        print(terminal.source_line(s))
    return 0


@command("remove", "unsubscribe (favourites stay)", arg("source_id", type=integer))
def _remove(library: Library, args: argparse.Namespace) -> int:
    gone = library.remove_source(args.source_id)
    print(f"removed source {args.source_id} and {count(gone, 'article')} (favourites kept)")
    return 0


@command("update", "fetch new articles from every source whose update interval passed",
         arg("--source", type=integer, metavar="ID", help="this source, even if updated lately"),
         arg("--all", action="store_true",
             help="every source, even those updated within their own interval"))
def _update(library: Library, args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        results = library.update(source_id=args.source, force=args.all, progress=bar)
    finally:
        bar.close()
    for r in results:
        if r.source_id not in bar.printed:
            print(update_summary(r))
    skipped = len(library.sources()) - len(results) if args.source is None else 0
    if skipped:
        print(f"{skipped} sources skipped: updated within their own update interval "
              "(--all updates them)")
    return 1 if results and all(r.error for r in results) else 0


@command("list", "list articles, newest first",
         arg("--source", type=integer, metavar="ID"), arg("--unread", action="store_true"),
         arg("--favourites", action="store_true"),
         arg("--tag", help="favourites carrying this tag"),
         arg("--limit", type=integer, default=50), JSON)
def _list(library: Library, args: argparse.Namespace) -> int:
    if args.source is not None:
        library.source(args.source)  # an unknown id is an error, as for update
    rows = library.articles(ArticleFilter(source_id=args.source, unread=args.unread,
                                          favourites=args.favourites, tag=args.tag),
                            limit=args.limit)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        print(terminal.row_line(r))
    return 0


@command("show", "print one article", arg("id", type=integer), JSON)
def _show(library: Library, args: argparse.Namespace) -> int:
    stored = library.article(args.id)
    if args.json:
        print_json(stored.to_json())
    else:
        print(article_text(stored))
    return 0


@command("unread", "mark unread", arg("id", type=integer))  # decorators register bottom-up
@command("read", "mark read", arg("id", type=integer))
@command("unfav", "remove from favourites", arg("id", type=integer))
@command("fav", "save as favourite", arg("id", type=integer))
def _mark(library: Library, args: argparse.Namespace) -> int:
    if args.command in ("fav", "unfav"):
        library.set_favourite(args.id, args.command == "fav")
    else:
        library.set_read(args.id, args.command == "read")
    print(f"{args.id}: {args.command}")
    return 0


@command("mark-all-read", "mark every article (of one source) read",
         arg("--source", type=integer, metavar="ID"))
def _mark_all_read(library: Library, args: argparse.Namespace) -> int:
    print(f"marked {count(library.mark_all_read(args.source), 'article')} read")
    return 0


@command("tag", "set a favourite's tags (none: clear them); tagging saves a favourite",
         arg("id", type=integer), arg("tags", nargs="*", metavar="TAG"))
def _tag(library: Library, args: argparse.Namespace) -> int:
    tags = library.set_tags(args.id, args.tags)
    print(f"{args.id}: {', '.join(tags) if tags else 'no tags'}")
    return 0


@command("clean", "remove old articles (favourites and what they link to stay)",
         arg("--days", type=integer, metavar="N", help="remove articles older than N days"),
         arg("--keep", type=integer, metavar="N", help="keep the newest N of each source"))
def _clean(library: Library, args: argparse.Namespace) -> int:
    print(f"removed {count(library.clean(days=args.days, keep=args.keep), 'article')} "
          "(favourites and what they link to kept)")
    return 0


@command("import-opml", "subscribe to the feeds of an OPML file (nothing is fetched)",
         arg("file", type=Path))
def _import_opml(library: Library, args: argparse.Namespace) -> int:
    result = library.import_opml(args.file)
    for s in result.added:
        print(f"added source {s.id}: {s.folder + '/' if s.folder else ''}{s.title} <{s.url}>")
    print(f"{len(result.added)} added, {result.skipped} already subscribed; "
          "run `reader update` to fetch them")
    return 0


@command("export-opml", "write the subscriptions as OPML 2.0", arg("file", type=Path))
def _export_opml(library: Library, args: argparse.Namespace) -> int:
    print(f"wrote {library.export_opml(args.file)} subscriptions to {args.file}")
    return 0


@command("export", "export favourites or a search's hits, offline from the cache",
         arg("out", type=Path, help="a file; for md a folder, or one file named *.md"),
         arg("--format", choices=FORMATS, default="html"),
         OneOf((arg("--favourites", action="store_true"),
                arg("--search", metavar="QUERY"))))
def _export(library: Library, args: argparse.Namespace) -> int:
    exported = library.export(args.out, args.format, favourites=args.favourites,
                              query=args.search)
    print(f"exported {count(exported, 'article')} to {args.out}")
    return 0


@command("search", "full-text search over titles and bodies", arg("query"),
         arg("--limit", type=integer, default=20), JSON)
def _search(library: Library, args: argparse.Namespace) -> int:
    hits = library.search(args.query, limit=args.limit)
    if args.json:
        print_json([h.to_json() for h in hits])
        return 0
    if not hits:
        print("no matches")
    for h in hits:
        print(terminal.hit_text(h))
    return 0


@command("extract", "extract one page without touching the library",
         arg("target", metavar="PATH_OR_URL"),
         arg("--url", help="the page's address, when reading it from a file"), JSON,
         library=False)
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
        if path.suffix == ".gz":  # inflated under the network's cap, never further
            from reader.fetch.body import Body
            from reader.fetch.http import MAX_BYTES
            inflated = Body(encoding="gzip", cap=MAX_BYTES, url=str(path), status=200)
            inflated.add(body)
            body = inflated.value()
        article = extract(body, args.url or path.resolve().as_uri())
    if args.json:
        print_json(article.to_json())
    else:
        print(article.title)
        print(article.text)
    return 0


@command("settings", "show or change a setting", arg("name", nargs="?"),
         arg("value", nargs="?"))
def _settings(library: Library, args: argparse.Namespace) -> int:
    if args.name and args.value is not None:
        library.set_setting(args.name, args.value)
    for s in config.SETTINGS:
        if args.name in (None, s.name):
            value = library.setting(s.name)
            shown = "(set, not shown)" if s.secret and value else repr(value)
            print(f"{s.name} = {shown}    # {s.description}")
    return 0


@command("source-settings", "show or change a source's own settings",
         arg("source_id", type=integer, metavar="ID"), arg("name", nargs="?"),
         arg("value", nargs="?"))
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


@command("test-rule", "show what an XPath rule reads off a page, storing nothing",
         arg("url"),
         arg("rule", metavar="RULE_JSON",
             help='e.g. {"links": "//ul[@class=\'list\']/li/a"}; with links: a listing'),
         JSON)
def _test_rule(library: Library, args: argparse.Namespace) -> int:
    found = library.test_rule(args.url, args.rule)
    if args.json:
        print_json([{"url": e.url, "title": e.title} for e in found.entries]
                   if isinstance(found, ParsedSource) else found.to_json())
    else:
        print(terminal.rule_result_text(found, args.url))
    return 0


@command("sync", "sync subscriptions, read state and favourites with the feed server")
def _sync(library: Library, args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        result = library.sync(progress=bar)
    finally:
        bar.close()
    print(terminal.sync_summary(result))
    if result.error:
        print(f"reader: sync failed: {result.error}", file=sys.stderr)
        return 1
    return 0


@command("sync-login", "set the feed server to sync with (Fever or Google Reader API) "
         "and check the login",
         arg("endpoint", help="the server's Fever or Google Reader API address, e.g. "
             "https://host/api/fever.php or https://host/api/greader.php"),
         arg("email", help="the account's email or user name"),
         arg("--password-stdin", action="store_true",
             help="read the password from standard input instead of a prompt"))
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


@command("backup", "write a consistent copy of the library", arg("path", type=Path))
def _backup(library: Library, args: argparse.Namespace) -> int:
    library.backup(args.path)
    print(f"wrote {args.path}")
    return 0


@command("restore", "replace the library with a backup", arg("path", type=Path),
         library=False)
def _restore(args: argparse.Namespace) -> int:
    restore(config.data_dir(args.data_dir), args.path)
    print(f"restored {args.path}")
    return 0


@command("install-desktop", "add Reader to the desktop's application menu (~/.local/share)",
         library=False)
def _install_desktop(args: argparse.Namespace) -> int:
    from reader.desktop import install
    for path in install():
        print(f"installed {path}")
    return 0


@command("screenshot", "render the main window to a PNG", arg("out", type=Path),
         arg("--article", type=integer, metavar="ID"), arg("--size", default="1280x800"),
         arg("--theme", default="light", choices=("light", "dark")), library=False)
def _screenshot(args: argparse.Namespace) -> int:
    from reader.ui.screenshot import render
    width, _, height = args.size.partition("x")
    render(config.data_dir(args.data_dir), args.out, article_id=args.article,
           size=(int(width), int(height)), theme=args.theme)
    print(args.out)
    return 0
