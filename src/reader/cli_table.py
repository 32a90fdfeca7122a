"""The CLI's one table of commands: each command's help, arguments and handler, registered
where the handler is defined (`@command`), and the argparse parser built from it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar


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
class Arg:
    flags: tuple[str, ...]
    options: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OneOf:
    """Arguments of which exactly one must be given."""

    choices: tuple[Arg, ...]


def integer(text: str) -> int:
    """An int SQLite can hold: argparse turns the error into a usage message, where a larger
    one raised OverflowError deep in the store."""
    value = int(text)
    if not -2**63 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{text} is out of range")
    return value


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


JSON = arg("--json", action="store_true", help="print JSON (the contract: docs/json.md)")


@dataclass(frozen=True, slots=True)
class Command:
    help: str
    arguments: tuple[Arg | OneOf, ...]
    run: Callable[..., int]
    library: bool  # run(library, args) on the open library; else run(args), opening nothing


# Every command: its help, its arguments and what runs it, in the order `reader -h` lists them.
COMMANDS: dict[str, Command] = {}

F = TypeVar("F", bound=Callable[..., int])


def command(name: str, help: str, *arguments: Arg | OneOf,
            library: bool = True) -> Callable[[F], F]:
    def register(run: F) -> F:
        COMMANDS[name] = Command(help, arguments, run, library)
        return run

    return register


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="reader", parents=[_common(False)],
                                  description="A news reader with an offline cache.")
    common = _common(True)
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, spec in COMMANDS.items():
        p = sub.add_parser(name, help=spec.help, description=spec.help, parents=[common])
        for argument in spec.arguments:
            if isinstance(argument, OneOf):
                group = p.add_mutually_exclusive_group(required=True)
                for choice in argument.choices:
                    group.add_argument(*choice.flags, **choice.options)
            else:
                p.add_argument(*argument.flags, **argument.options)
    return top
