"""The QApplication set-up: language, direction, font, locale and translations.

Done the way Anki's ``qt/aqt/__init__.py`` does it: the layout direction follows the language (Persian:
right to left), ``QLocale.setDefault`` makes Qt show numbers in Persian digits, Qt's own ``qtbase_fa``
translation makes the standard dialogs (file chooser, message box buttons) Persian, ``qt_overrides_fa.qm``
corrects it where it calls a file «پرونده» (a case, here) and fills what it lacks, and our own
``clinic_fa.qm`` translates the English source strings in the code. The bundled Vazirmatn is the application
font, so Persian looks the same on a bare Windows install as on a developer's PC.
"""

from __future__ import annotations

import gc
import logging
import sys
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from clinic_app.config import APP_AUTHOR, APP_NAME, app_version
from clinic_app.resources import font_files, resource_path

log = logging.getLogger("clinic.ui")

LANGUAGES = ("fa", "en")
FONT_FAMILY = "Vazirmatn"
FONT_POINT_SIZE = 10
# Light and Medium are for reports; the screens use Regular and Bold, and each font file costs start-up time.
_SCREEN_WEIGHTS = ("Regular", "Bold")


@dataclass
class ShellState:
    """What ``configure_application`` installed, so a language change can undo it."""

    language: str = "fa"
    font_family: str = ""
    translators: list[QTranslator] = field(default_factory=list)


_state = ShellState()
_fonts_loaded: list[str] = []


def load_fonts() -> str:
    """Register the bundled Vazirmatn (once per process); returns the family name ("" if none loaded)."""
    if not _fonts_loaded:
        for path in font_files():
            if not path.stem.endswith(_SCREEN_WEIGHTS):
                continue
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("could not load font %s", path)
                continue
            _fonts_loaded.extend(QFontDatabase.applicationFontFamilies(font_id))
    return _fonts_loaded[0] if _fonts_loaded else ""


def locale_for(language: str) -> QLocale:
    if language == "fa":
        return QLocale(QLocale.Language.Persian, QLocale.Country.Iran)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def direction_for(language: str) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if language == "fa" else Qt.LayoutDirection.LeftToRight


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def _install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    installed: list[QTranslator] = []
    if language == "en":
        return installed  # the source strings are English
    # Qt asks the translator installed last first, so our corrections to qtbase_fa (a file is «فایل»;
    # «پرونده» is a case) come after it.
    wanted = [
        (f"qtbase_{language}", qt_translations_dir()),
        (f"qt_overrides_{language}", str(resource_path("i18n"))),
        (f"clinic_{language}", str(resource_path("i18n"))),
    ]
    for name, folder in wanted:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("translation %s not found in %s", name, folder)
    return installed


def configure_application(app: QApplication, language: str = "fa") -> ShellState:
    """Apply language, direction, locale, font and translations to ``app``; call again to switch language."""
    if language not in LANGUAGES:
        log.warning("unknown language %r; using Persian", language)
        language = "fa"
    for translator in _state.translators:
        app.removeTranslator(translator)
    _state.translators = _install_translators(app, language)
    _state.language = language
    QLocale.setDefault(locale_for(language))
    app.setLayoutDirection(direction_for(language))
    family = load_fonts()
    if family:
        font = QFont(family, FONT_POINT_SIZE)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        app.setFont(font)
    _state.font_family = family
    return _state


class GuiGarbageCollector(QObject):
    """Python's cycle collector, run on the GUI thread only.

    The collector runs in whichever thread happens to allocate when a threshold is passed; if that is a
    worker and the garbage holds a Qt object, the object is destroyed on the wrong thread and the program
    crashes. As Anki does, automatic collection is switched off and this timer collects, generation by
    generation as the thresholds say, on the GUI thread.
    """

    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


_collector: GuiGarbageCollector | None = None


def install_gui_garbage_collector(app: QCoreApplication) -> GuiGarbageCollector:
    """Once per process (again is a no-op); call on the GUI thread."""
    global _collector
    if _collector is None:
        _collector = GuiGarbageCollector(app)
    return _collector


def freeze_startup_objects() -> None:
    """Leave what start-up made (modules, classes, the window) out of every later cycle collection.

    About 70,000 long-lived objects from the imports sit in the collector's older generations, and each
    collection of those walked them all: 35-60 ms on the GUI thread, twice while a page opened. Call once,
    when the main window is filled.
    """
    gc.freeze()


def current_language() -> str:
    return _state.language


def create_application(argv: list[str] | None = None, language: str = "fa") -> QApplication:
    """The one QApplication, made (or reused) and configured."""
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_AUTHOR)
    QCoreApplication.setApplicationVersion(app_version())
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(sys.argv if argv is None else argv))
    app.setApplicationDisplayName(QCoreApplication.translate("Shell", "Business Clinic"))
    configure_application(app, language)
    install_gui_garbage_collector(app)
    # Translations are loaded now, so translate the display name again.
    app.setApplicationDisplayName(QCoreApplication.translate("Shell", "Business Clinic"))
    return app
