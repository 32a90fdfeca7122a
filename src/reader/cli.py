"""Headless commands over the same Library the GUI uses. `reader` alone opens the window."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reader import config
from reader.errors import ReaderError, setting_error
from reader.interop import FORMATS
from reader.library import Library, restore
from reader.terminal import ProgressBar, article_text, count, print_json, update_summary
from reader.types import ArticleFilter, ParsedSource, iso


def _common(suppress: bool) -> argparse.ArgumentParser:
    # Subcommands repeat the options but must not reset what was given before the command.
    default = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=default,
                        help="library folder (default: $READER_DATA_DIR or the user data folder)")
    common.add_argument("-v", "--verbose", action="store_true",
                        default=default if suppress else False, help="log what happens")
    return common


@dataclass(frozen=True, slots=True)
class _Arg:
    flags: tuple[str, ...]
    options: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _OneOf:
    """Arguments of which exactly one must be given."""

    choices: tuple[_Arg, ...]


def _integer(text: str) -> int:
    """An int SQLite can hold: argparse turns the error into a usage message, where a larger
    one raised OverflowError deep in the store."""
    value = int(text)
    if not -2**63 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{text} is out of range")
    return value


def _arg(*flags: str, **options: Any) -> _Arg:
    return _Arg(flags, options)


_JSON = _arg("--json", action="store_true", help="print JSON (the contract: docs/json.md)")


@dataclass(frozen=True, slots=True)
class _Command:
    help: str
    arguments: tuple[_Arg | _OneOf, ...]
    run: Callable[..., int]
    library: bool  # run(library, args) on the open library; else run(args), opening nothing


# Every command: its help, its arguments and what runs it, in the order `reader -h` lists them.
_COMMANDS: dict[str, _Command] = {}

F = TypeVar("F", bound=Callable[..., int])


def _command(name: str, help: str, *arguments: _Arg | _OneOf,
             library: bool = True) -> Callable[[F], F]:
    def register(run: F) -> F:
        _COMMANDS[name] = _Command(help, arguments, run, library)
        return run

    return register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", parents=[_common(False)],
                                     description="A news reader with an offline cache.")
    common = _common(True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in _COMMANDS.items():
        p = sub.add_parser(name, help=command.help, description=command.help,
                           parents=[common])
        for argument in command.arguments:
            if isinstance(argument, _OneOf):
                group = p.add_mutually_exclusive_group(required=True)
                for choice in argument.choices:
                    group.add_argument(*choice.flags, **choice.options)
            else:
                p.add_argument(*argument.flags, **argument.options)
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
    except OSError as e:  # the data folder: a file, a symlink loop, a lock that is a folder
        print(f"reader: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        from reader.ui.app import run
        return run(config.data_dir(args.data_dir))
    command = _COMMANDS[args.command]
    if not command.library:
        return command.run(args)
    data_dir = config.data_dir(args.data_dir)
    if Library.needs_migration(data_dir):
        print("reader: bringing the library to this version's format (once; a copy is kept)",
              file=sys.stderr)
    with Library(data_dir) as library:
        return command.run(library, args)


@_command("add", "subscribe to a feed, a portal section page, or a page that has a feed",
          _arg("url"), _arg("--title"),
          _arg("--folder", default="", help="folder path, e.g. News/Tech"),
          _arg("--rule", metavar="RULE_JSON",
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


@_command("sources", "list the subscriptions", _JSON)
def _sources(library: Library, args: argparse.Namespace) -> int:
    sources = library.sources()
    if args.json:
        print_json([{"id": s.id, "url": s.url, "kind": s.kind, "title": s.title,
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


@_command("remove", "unsubscribe (favourites stay)", _arg("source_id", type=_integer))
def _remove(library: Library, args: argparse.Namespace) -> int:
    gone = library.remove_source(args.source_id)
    print(f"removed source {args.source_id} and {count(gone, 'article')} (favourites kept)")
    return 0


@_command("update", "fetch new articles from every source whose update interval passed",
          _arg("--source", type=_integer, metavar="ID", help="this source, even if updated lately"),
          _arg("--all", action="store_true",
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


@_command("list", "list articles, newest first",
          _arg("--source", type=_integer, metavar="ID"), _arg("--unread", action="store_true"),
          _arg("--favourites", action="store_true"),
          _arg("--tag", help="favourites carrying this tag"),
          _arg("--limit", type=_integer, default=50), _JSON)
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
        mark = ("*" if r.is_favourite else " ") + (" " if r.is_read else "•")
        # Local time with its offset: the pages' own zones differ, the order is by instant.
        date = (r.published.astimezone().strftime("%Y-%m-%d %H:%M %z") if r.published
                else " " * 22)
        print(f"{r.id:>6} {mark} {date}  {r.title}  [{', '.join((r.source, *r.also))}]")
    return 0


@_command("show", "print one article", _arg("id", type=_integer), _JSON)
def _show(library: Library, args: argparse.Namespace) -> int:
    stored = library.article(args.id)
    if args.json:
        print_json(stored.to_json())
    else:
        print(article_text(stored))
    return 0


@_command("unread", "mark unread", _arg("id", type=_integer))  # decorators register bottom-up
@_command("read", "mark read", _arg("id", type=_integer))
@_command("unfav", "remove from favourites", _arg("id", type=_integer))
@_command("fav", "save as favourite", _arg("id", type=_integer))
def _mark(library: Library, args: argparse.Namespace) -> int:
    if args.command in ("fav", "unfav"):
        library.set_favourite(args.id, args.command == "fav")
    else:
        library.set_read(args.id, args.command == "read")
    print(f"{args.id}: {args.command}")
    return 0


@_command("mark-all-read", "mark every article (of one source) read",
          _arg("--source", type=_integer, metavar="ID"))
def _mark_all_read(library: Library, args: argparse.Namespace) -> int:
    print(f"marked {count(library.mark_all_read(args.source), 'article')} read")
    return 0


@_command("tag", "set a favourite's tags (none: clear them); tagging saves a favourite",
          _arg("id", type=_integer), _arg("tags", nargs="*", metavar="TAG"))
def _tag(library: Library, args: argparse.Namespace) -> int:
    tags = library.set_tags(args.id, args.tags)
    print(f"{args.id}: {', '.join(tags) if tags else 'no tags'}")
    return 0


@_command("clean", "remove old articles (favourites and what they link to stay)",
          _arg("--days", type=_integer, metavar="N", help="remove articles older than N days"),
          _arg("--keep", type=_integer, metavar="N", help="keep the newest N of each source"))
def _clean(library: Library, args: argparse.Namespace) -> int:
    print(f"removed {count(library.clean(days=args.days, keep=args.keep), 'article')} "
          "(favourites and what they link to kept)")
    return 0


@_command("import-opml", "subscribe to the feeds of an OPML file (nothing is fetched)",
          _arg("file", type=Path))
def _import_opml(library: Library, args: argparse.Namespace) -> int:
    result = library.import_opml(args.file)
    for s in result.added:
        print(f"added source {s.id}: {s.folder + '/' if s.folder else ''}{s.title} <{s.url}>")
    print(f"{len(result.added)} added, {result.skipped} already subscribed; "
          "run `reader update` to fetch them")
    return 0


@_command("export-opml", "write the subscriptions as OPML 2.0", _arg("file", type=Path))
def _export_opml(library: Library, args: argparse.Namespace) -> int:
    print(f"wrote {library.export_opml(args.file)} subscriptions to {args.file}")
    return 0


@_command("export", "export favourites or a search's hits, offline from the cache",
          _arg("out", type=Path, help="a file; for md a folder, or one file named *.md"),
          _arg("--format", choices=FORMATS, default="html"),
          _OneOf((_arg("--favourites", action="store_true"),
                  _arg("--search", metavar="QUERY"))))
def _export(library: Library, args: argparse.Namespace) -> int:
    exported = library.export(args.out, args.format, favourites=args.favourites,
                              query=args.search)
    print(f"exported {count(exported, 'article')} to {args.out}")
    return 0


@_command("search", "full-text search over titles and bodies", _arg("query"),
          _arg("--limit", type=_integer, default=20), _JSON)
def _search(library: Library, args: argparse.Namespace) -> int:
    hits = library.search(args.query, limit=args.limit)
    if args.json:
        print_json([h.to_json() for h in hits])
        return 0
    if not hits:
        print("no matches")
    for h in hits:
        print(f"{h.id:>6}  {h.title}  [{h.source}]\n        {h.snippet}")
    return 0


@_command("extract", "extract one page without touching the library",
          _arg("target", metavar="PATH_OR_URL"),
          _arg("--url", help="the page's address, when reading it from a file"), _JSON,
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


@_command("settings", "show or change a setting", _arg("name", nargs="?"),
          _arg("value", nargs="?"))
def _settings(library: Library, args: argparse.Namespace) -> int:
    if args.name and args.value is not None:
        library.set_setting(args.name, args.value)
    for s in config.SETTINGS:
        if args.name in (None, s.name):
            value = library.setting(s.name)
            shown = "(set, not shown)" if s.secret and value else repr(value)
            print(f"{s.name} = {shown}    # {s.description}")
    return 0


@_command("source-settings", "show or change a source's own settings",
          _arg("source_id", type=_integer, metavar="ID"), _arg("name", nargs="?"),
          _arg("value", nargs="?"))
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


@_command("test-rule", "show what an XPath rule reads off a page, storing nothing",
          _arg("url"),
          _arg("rule", metavar="RULE_JSON",
               help='e.g. {"links": "//ul[@class=\'list\']/li/a"}; with links: a listing'),
          _JSON)
def _test_rule(library: Library, args: argparse.Namespace) -> int:
    found = library.test_rule(args.url, args.rule)
    if isinstance(found, ParsedSource):
        if args.json:
            print_json([{"url": e.url, "title": e.title} for e in found.entries])
            return 0
        print(f"{len(found.entries)} entries on {found.title or args.url}"
              + (f"; next page {found.next_page}" if found.next_page else ""))
        for e in found.entries:
            print(f"  {e.title}  <{e.url}>")
        return 0
    if args.json:
        print_json(found.to_json())
        return 0
    print(found.title)
    print(iso(found.published) or "(no date)")
    print(found.text[:500])
    return 0


@_command("sync", "sync subscriptions, read state and favourites with the feed server")
def _sync(library: Library, args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        result = library.sync(progress=bar)
    finally:
        bar.close()
    print(f"{count(result.feeds, 'subscription')} and {count(result.items, 'article')} "
          f"pulled, {count(result.pushed, 'change')} sent, {result.pending} waiting")
    if result.skipped:
        print(f"{count(result.skipped, 'server item')} without a web link not stored")
    if result.conflicts:
        print(f"{len(result.conflicts)} conflicts (the change made here was kept):")
        for conflict in result.conflicts:
            print(f"  {conflict}")
    if result.error:
        print(f"reader: sync failed: {result.error}", file=sys.stderr)
        return 1
    return 0


@_command("sync-login", "set the feed server to sync with (Fever or Google Reader API) "
          "and check the login",
          _arg("endpoint", help="the server's Fever or Google Reader API address, e.g. "
               "https://host/api/fever.php or https://host/api/greader.php"),
          _arg("email", help="the account's email or user name"),
          _arg("--password-stdin", action="store_true",
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


@_command("backup", "write a consistent copy of the library", _arg("path", type=Path))
def _backup(library: Library, args: argparse.Namespace) -> int:
    library.backup(args.path)
    print(f"wrote {args.path}")
    return 0


@_command("restore", "replace the library with a backup", _arg("path", type=Path),
          library=False)
def _restore(args: argparse.Namespace) -> int:
    restore(config.data_dir(args.data_dir), args.path)
    print(f"restored {args.path}")
    return 0


@_command("install-desktop", "add Reader to the desktop's application menu (~/.local/share)",
          library=False)
def _install_desktop(args: argparse.Namespace) -> int:
    from reader.desktop import install
    for path in install():
        print(f"installed {path}")
    return 0


@_command("screenshot", "render the main window to a PNG", _arg("out", type=Path),
          _arg("--article", type=_integer, metavar="ID"), _arg("--size", default="1280x800"),
          _arg("--theme", default="light", choices=("light", "dark")), library=False)
def _screenshot(args: argparse.Namespace) -> int:
    from reader.ui.screenshot import render
    width, _, height = args.size.partition("x")
    render(config.data_dir(args.data_dir), args.out, article_id=args.article,
           size=(int(width), int(height)), theme=args.theme)
    print(args.out)
    return 0
