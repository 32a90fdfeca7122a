"""Qt translations: Reader's own (resources/translations) and Qt's, for the system locale."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from reader.resources import resource

log = logging.getLogger(__name__)


def install(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load translations for `locale` (default: the system's); English needs none."""
    locale = locale or QLocale.system()
    installed = []
    for name, folder in (("reader", str(resource("translations"))),
                         ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.debug("no %s translation for %s", name, locale.name())
    return installed
