"""Error details in the UI language: the core's messages are English sentences of known shapes
(reader.fetch.messages, the search parser); each shape has a translatable template here."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

# (the core's message, the template its parts fill), tried in order; templates are translated
# under the "Errors" context.
_SHAPES = [(re.compile(pattern), template) for pattern, template in (
    (r"connection refused", "connection refused"),
    (r"host not found", "host not found"),
    (r"connection reset by server", "connection reset by server"),
    (r"secure connection \(TLS\) failed", "secure connection (TLS) failed"),
    (r"proxy connection failed", "proxy connection failed"),
    (r"timed out after (.+)", "timed out after {0}"),
    (r"cannot read (.+): no such file or directory", "no such file: {0}"),
    (r"cannot read (.+): (.+)", "cannot read {0}: {1}"),
    (r"response larger than (.+)", "response larger than {0}"),
    (r"refused non-http URL (.+)", "not a web address: {0}"),
    (r"(.+) has no feed and no list of articles", "{0} has no feed and no list of articles"),
    (r'unbalanced quote in the search: close the "phrase"',
     "unbalanced quote in the search: close the “phrase”"),
    (r"the search has no words to look for", "the search has no words to look for"),
    (r"the search has more than (\d+) terms", "the search has more than {0} terms"),
    (r"the search only excludes words: add one to look for",
     "the search only excludes words: add one to look for"),
)]


def describe(message: str) -> str:
    """The message in the UI language when its shape is known, else as it is."""
    for pattern, template in _SHAPES:
        if match := pattern.fullmatch(message):
            return QCoreApplication.translate("Errors", template).format(*match.groups())
    return message


def describe_error(error: BaseException) -> str:
    return describe(str(error))
