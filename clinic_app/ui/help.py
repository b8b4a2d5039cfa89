"""Help: a Persian page for each screen, opened with F1 from wherever the user is, and a first-day guide.

The pages are HTML files shipped under ``resources/help/`` (one per topic, see ``TOPICS``), shown in a
``QTextBrowser`` so links between them work and nothing is fetched from outside. F1 is caught by an
application-wide event filter rather than a shortcut: a shortcut of the main window does not fire while a
modal dialog (the enterprise form, a consultation) is open, and that is exactly when people need help. The
topic is found by walking up from the widget that has the focus (``topic_for``): a widget may name its topic
in the ``help_topic`` property; otherwise its class or its page decides.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clinic_app.resources import resource_path
from clinic_app.ui.widgets.common import fit_to_screen

CONTEXT = "Help"

# topic -> title (English source, translated in context "Help"). Each has resources/help/<topic>.html.
TOPICS: dict[str, str] = {
    "index": QT_TRANSLATE_NOOP("Help", "Contents"),
    "first_day": QT_TRANSLATE_NOOP("Help", "Your first day"),
    "dashboard": QT_TRANSLATE_NOOP("Help", "Dashboard"),
    "enterprises": QT_TRANSLATE_NOOP("Help", "Enterprises"),
    "enterprise_form": QT_TRANSLATE_NOOP("Help", "Enterprise form"),
    "cases": QT_TRANSLATE_NOOP("Help", "Cases"),
    "case_overview": QT_TRANSLATE_NOOP("Help", "Case: overview and workflow"),
    "case_diagnosis": QT_TRANSLATE_NOOP("Help", "Case: diagnosis"),
    "case_plan": QT_TRANSLATE_NOOP("Help", "Case: capacity-building plan"),
    "case_consultations": QT_TRANSLATE_NOOP("Help", "Case: consultations"),
    "case_monitoring": QT_TRANSLATE_NOOP("Help", "Case: monitoring"),
    "case_attachments": QT_TRANSLATE_NOOP("Help", "Case: attachments"),
    "case_history": QT_TRANSLATE_NOOP("Help", "Case: history"),
    "consultations": QT_TRANSLATE_NOOP("Help", "Consultation agenda"),
    "reports": QT_TRANSLATE_NOOP("Help", "Reports"),
    "report_preview": QT_TRANSLATE_NOOP("Help", "Report preview and printing"),
    "batch_print": QT_TRANSLATE_NOOP("Help", "Many case reports at once"),
    "outreach": QT_TRANSLATE_NOOP("Help", "Outreach worklist"),
    "sync": QT_TRANSLATE_NOOP("Help", "Sync with HQ"),
    "conflicts": QT_TRANSLATE_NOOP("Help", "Conflicts"),
    "users": QT_TRANSLATE_NOOP("Help", "Users"),
    "settings": QT_TRANSLATE_NOOP("Help", "Settings, backup and restore"),
}

# Widgets that do not name a topic themselves: their class decides (dialogs and case tabs).
TOPIC_BY_CLASS: dict[str, str] = {
    "EnterpriseForm": "enterprise_form",
    "ContactDialog": "enterprise_form",
    "OpenCaseDialog": "enterprise_form",
    "DuplicateDialog": "enterprise_form",
    "RecycleBinDialog": "enterprises",
    "OutreachContactDialog": "outreach",
    "OverviewTab": "case_overview",
    "DiagnosisTab": "case_diagnosis",
    "PlanTab": "case_plan",
    "ConsultationsTab": "case_consultations",
    "MonitoringTab": "case_monitoring",
    "AttachmentsTab": "case_attachments",
    "HistoryTab": "case_history",
    "CaseWorkspace": "case_overview",
    "ReportPreviewDialog": "report_preview",
    "BatchReportsDialog": "batch_print",
    "ConflictDialog": "conflicts",
    "RestorePreview": "settings",
    "FirstRunWizard": "first_day",
}


STYLE = """
h1 { font-size: 16pt; color: #1a4d80; }
h2 { font-size: 13pt; color: #1a4d80; margin-top: 14px; }
h3 { font-size: 11pt; color: #1a4d80; }
td { padding: 4px; }
code { font-family: monospace; }
.foot { color: #666666; margin-top: 18px; }
"""


def topic_title(topic: str) -> str:
    return QCoreApplication.translate(CONTEXT, TOPICS.get(topic, TOPICS["index"]))


def topic_path(topic: str):
    """The HTML file of a topic (``index`` for an unknown one)."""
    return resource_path("help", f"{topic if topic in TOPICS else 'index'}.html")


def topic_for(widget: QWidget | None, *, outer: bool = True) -> str:
    """The help topic of the screen a widget is on: its own ``help_topic``, its class's, or its page's.

    ``outer``: past every page, ask the window what is in front (False when the window itself asks).
    """
    w = widget
    while w is not None:
        named = w.property("help_topic")
        if isinstance(named, str) and named in TOPICS:
            return named
        for cls in type(w).__mro__:
            if cls.__name__ in TOPIC_BY_CLASS:
                return TOPIC_BY_CLASS[cls.__name__]
        name = w.objectName()
        if name.startswith("page_") and name[5:] in TOPICS:
            return name[5:]
        # Focus outside any page (the navigation list, the menu bar): the window says what is in front.
        in_front = getattr(w, "current_help_topic", None) if outer else None
        if callable(in_front):
            return in_front()
        w = w.parentWidget()
    return "index"


class HelpWindow(QDialog):
    """The help pages: a list of topics beside the page, links followed inside, back and close.

    Signals:
        topic_shown(str): a topic's page was shown.
    """

    topic_shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_window")
        self.setWindowTitle(self.tr("Help"))
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.topics = QListWidget()
        self.topics.setObjectName("help_topics")
        for key in TOPICS:
            item = QListWidgetItem(topic_title(key))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.topics.addItem(item)
        self.topics.setMaximumWidth(230)
        self.topics.currentItemChanged.connect(self._topic_clicked)
        self.browser = QTextBrowser()
        self.browser.setObjectName("help_text")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)  # links are topics: followed by show_topic, never by a browser
        self.browser.anchorClicked.connect(self._link_clicked)
        option = QTextOption()
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.browser.document().setDefaultTextOption(option)
        self.browser.document().setDefaultStyleSheet(STYLE)
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.setObjectName("help_back")
        self.back_button.clicked.connect(self.go_back)
        self.guide_button = QPushButton(self.tr("First-day guide"))
        self.guide_button.setObjectName("help_guide")
        self.guide_button.clicked.connect(lambda: self.show_topic("first_day"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setObjectName("help_close")
        buttons.rejected.connect(self.close)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.guide_button, QDialogButtonBox.ButtonRole.ActionRole)
        body = QHBoxLayout()
        body.addWidget(self.topics)
        body.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.current = ""
        self._history: list[str] = []
        fit_to_screen(self, 900, 640)  # reads well; a park office's 1366x768 still holds the buttons

    def show_topic(self, topic: str, *, remember: bool = True) -> None:
        """Show a topic's page (``index`` for an unknown one)."""
        topic = topic if topic in TOPICS else "index"
        if remember and self.current and self.current != topic:
            self._history.append(self.current)
        self.current = topic
        path = topic_path(topic)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = "<p>" + self.tr("This help page is missing from the installation.") + "</p>"
        self.browser.document().setMetaInformation(QTextDocument.MetaInformation.DocumentUrl, "")
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setHtml(text)
        self.setWindowTitle(self.tr("Help — %1").replace("%1", topic_title(topic)))
        for row in range(self.topics.count()):
            item = self.topics.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == topic:
                self.topics.blockSignals(True)
                self.topics.setCurrentRow(row)
                self.topics.blockSignals(False)
        self.back_button.setEnabled(bool(self._history))
        self.topic_shown.emit(topic)

    def go_back(self) -> None:
        if self._history:
            self.show_topic(self._history.pop(), remember=False)

    def _topic_clicked(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.show_topic(item.data(Qt.ItemDataRole.UserRole))

    def _link_clicked(self, url: QUrl) -> None:
        name = url.toString().removesuffix(".html")
        if name.startswith("#"):
            self.browser.scrollToAnchor(name[1:])
        else:
            self.show_topic(name.split("#", 1)[0])


class HelpKeyFilter(QObject):
    """Opens help for the screen in front when F1 is pressed anywhere in the application, dialogs too.

    Signals:
        help_requested(str): the topic F1 asked for (the window is shown already).
    """

    help_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: HelpWindow | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_F1:
            # The key goes to the widget with the focus: that one says where the user is.
            origin = watched if isinstance(watched, QWidget) else QApplication.focusWidget()
            self.open_help(topic_for(origin or QApplication.activeWindow()), origin)
            return True
        return False

    def open_help(self, topic: str, origin: QWidget | None = None) -> HelpWindow:
        """Show help for ``topic`` in one window, kept on top of whatever window is active (even modal)."""
        # A modal dialog blocks input to every window but its own children, so the help window becomes
        # the dialog's child while one is open (and the main window's otherwise).
        owner = (
            (origin.window() if origin is not None else None)
            or QApplication.activeModalWidget()
            or QApplication.activeWindow()
        )
        if owner is self.window:
            owner = self.window.parentWidget() if self.window else None
        if self.window is None or self.window.parentWidget() is not owner:
            if self.window is not None:
                self.window.deleteLater()
            self.window = HelpWindow(owner)
            self.window.setWindowFlag(Qt.WindowType.Window, True)
        self.window.show_topic(topic)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.help_requested.emit(topic)
        return self.window
