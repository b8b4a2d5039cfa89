"""The Diagnosis tab: the template's questionnaire, scores and radar chart, findings, drafting plan actions.

The questionnaire is a list of the template's dimensions and questions beside one question at a time: its
text, five score buttons with the template's scale labels, the guidance the template gives for scores 1, 3
and 5 (the one matching the chosen score in bold) and a comment. Digits 1-5 score the question and move to
the next one, so a consultant can go through fifty questions from the keyboard; a sixth button (key 0) says
the question does not apply or the answer is not known, and is left out of the scores. Answers are kept in the
tab until saved (Save, or Finalize, which asks first and saves first); leaving with unsaved answers asks
(save, discard or stay). The section averages and the scores tab are computed from the answers as typed
(``diagnoses.preview``), saved or not, so the two never disagree.

Starting: «Start a diagnosis…» here and the overview's «start diagnosis» step are one path
(``diagnoses.begin_diagnosis``): a case in intake moves to diagnosis and its draft starts together.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.persian import format_version, to_persian_digits
from clinic_app.models.diagnosis import NOT_APPLICABLE, SEVERITIES
from clinic_app.services import diagnoses
from clinic_app.services.diagnoses import (
    SEVERITY_LABELS,
    DiagnosisView,
    FindingInput,
    FindingView,
    QuestionView,
)
from clinic_app.ui.cases.bundle import CaseBundle
from clinic_app.ui.cases.common import CaseTab, fa_date, fa_score, heading_label
from clinic_app.ui.widgets.charts import RadarChart
from clinic_app.ui.widgets.common import (
    Banner,
    confirm,
    delete_key,
    fit_columns,
    make_table,
    select_id,
    selected_id,
    selected_item,
)
from clinic_app.ui.widgets.form_dialog import FormDialog
from clinic_app.ui.widgets.jalali_date_edit import JalaliDateEdit
from clinic_app.ui.widgets.lazy_model import ALIGN_CENTER, Column
from clinic_app.ui.widgets.list_model import RowsTableModel

if TYPE_CHECKING:
    from clinic_app.ui.operations import OperationHandle

SCALE_LABELS = {1: "بسیار ضعیف", 2: "ضعیف", 3: "متوسط", 4: "خوب", 5: "عالی"}
SEVERITY_COLORS = {"low": "#546e7a", "medium": "#ef6c00", "high": "#d84315", "critical": "#b71c1c"}
WEAK_COLOR = "#c62828"
CODE_ROLE = Qt.ItemDataRole.UserRole + 10

Answer = tuple[int | None, str | None]

DIM_CONTEXT = "DimensionScoresTable"
DIMENSION_COLUMNS = (
    Column("title", QT_TRANSLATE_NOOP("DimensionScoresTable", "Dimension"), lambda d: d.title),
    Column("score", QT_TRANSLATE_NOOP("DimensionScoresTable", "Score"), lambda d: fa_score(d.score), align=ALIGN_CENTER),
    Column("weak", QT_TRANSLATE_NOOP("DimensionScoresTable", "Weak"), lambda d: "●" if d.is_weak else "", align=ALIGN_CENTER),
)  # fmt: skip
FINDING_CONTEXT = "FindingsTable"
FINDING_COLUMNS = (
    Column("severity", QT_TRANSLATE_NOOP("FindingsTable", "Severity"), lambda f: f.severity_label, align=ALIGN_CENTER),
    Column("dimension", QT_TRANSLATE_NOOP("FindingsTable", "Dimension"), lambda f: f.dimension_title),
    Column("title", QT_TRANSLATE_NOOP("FindingsTable", "Finding"), lambda f: f.title, tooltip=lambda f: f.title),
    Column("root_cause", QT_TRANSLATE_NOOP("FindingsTable", "Root cause"), lambda f: (f.root_cause or "").replace("\n", " "),
           tooltip=lambda f: f.root_cause),
)  # fmt: skip


def _finding_color(row: FindingView, column: Column) -> QBrush | None:
    if column.key == "severity":
        return QBrush(QColor(SEVERITY_COLORS.get(row.severity, "#000")))
    return None


def _dimension_color(row, column: Column) -> QBrush | None:
    return QBrush(QColor(WEAK_COLOR)) if row.is_weak and column.key in ("score", "weak") else None


# --------------------------------------------------------------------------- dialogs


class StartDiagnosisDialog(FormDialog):
    """Start a diagnosis from a template: the day it was done and the consultant who did it."""

    def __init__(self, ctx, bundle: CaseBundle, parent=None) -> None:
        super().__init__(
            ctx, self.tr("Start a diagnosis"), parent, ok_text=self.tr("Start"), name="start_diagnosis"
        )
        self.case_id = bundle.case.id
        self.performed_on = JalaliDateEdit(required=True, field="performed_on")
        self.performed_on.setDate(ctx.today())
        self.consultant = QComboBox()
        self.consultant.addItem(self.tr("(choose)"), None)
        for c in bundle.active_consultants:
            self.consultant.addItem(c.full_name, c.id)
        default = ctx.actor.consultant_id or (bundle.case.lead.consultant_id if bundle.case.lead else None)
        self.consultant.setCurrentIndex(max(0, self.consultant.findData(default)))
        self.template = QComboBox()
        for t in bundle.templates:
            self.template.addItem(
                self.tr("%1 (version %2)").replace("%1", t.title).replace("%2", format_version(t.version)),
                t.id,
            )
        self.add_row(self.tr("Template"), "template_id", self.template)
        self.add_row(self.tr("Done on"), "performed_on", self.performed_on)
        self.add_row(self.tr("Consultant"), "consultant_id", self.consultant)
        self.take_snapshot()

    def state(self) -> Any:
        return (self.template.currentData(), self.performed_on.text(), self.consultant.currentData())

    def work(self):
        ctx, case_id = self.ctx, self.case_id
        template_id, day, consultant = (
            self.template.currentData(),
            self.performed_on.raw_value(),
            self.consultant.currentData(),
        )
        return lambda _s: diagnoses.begin_diagnosis(
            ctx.uow(), case_id, template_id, performed_on=day, consultant_id=consultant or ""
        )


class FindingDialog(FormDialog):
    """Add a finding by hand, or edit one (a derived finding keeps its dimension)."""

    def __init__(
        self, ctx, diagnosis: DiagnosisView, finding: FindingView | None = None, parent=None
    ) -> None:
        title = self.tr("Edit finding") if finding else self.tr("Add a finding")
        super().__init__(ctx, title, parent, name="finding_dialog")
        self.diagnosis_id = diagnosis.id
        self.finding = finding
        self.dimension = QComboBox()
        for d in diagnosis.dimensions:
            self.dimension.addItem(d.title, d.code)
        self.title_edit = QLineEdit()
        self.severity = QComboBox()
        for code in SEVERITIES:
            self.severity.addItem(SEVERITY_LABELS.get(code, code), code)
        self.severity.setCurrentIndex(self.severity.findData("medium"))
        self.root_cause = QPlainTextEdit()
        self.root_cause.setTabChangesFocus(True)
        self.root_cause.setFixedHeight(80)
        self.evidence = QPlainTextEdit()
        self.evidence.setTabChangesFocus(True)
        self.evidence.setFixedHeight(80)
        if finding is not None:
            self.dimension.setCurrentIndex(max(0, self.dimension.findData(finding.dimension_code)))
            self.dimension.setEnabled(not finding.derived)
            self.title_edit.setText(finding.title)
            self.severity.setCurrentIndex(max(0, self.severity.findData(finding.severity)))
            self.root_cause.setPlainText(finding.root_cause or "")
            self.evidence.setPlainText(finding.evidence or "")
        self.add_row(self.tr("Dimension"), "dimension_code", self.dimension)
        self.add_row(self.tr("Finding"), "title", self.title_edit)
        self.add_row(self.tr("Severity"), "severity", self.severity)
        self.add_row(self.tr("Root cause"), "root_cause", self.root_cause)
        self.add_row(self.tr("Evidence"), "evidence", self.evidence)
        self.setMinimumWidth(560)
        self.take_snapshot()

    def state(self) -> Any:
        return (self.dimension.currentData(), self.title_edit.text(), self.severity.currentData(),
                self.root_cause.toPlainText(), self.evidence.toPlainText())  # fmt: skip

    def work(self):
        dimension, title, severity, root_cause, evidence = self.state()
        data = FindingInput(dimension, title, severity, root_cause, evidence)
        ctx, diagnosis_id, finding = self.ctx, self.diagnosis_id, self.finding
        if finding is None:
            return lambda _s: diagnoses.add_finding(ctx.uow(), diagnosis_id, data)
        return lambda _s: diagnoses.update_finding(ctx.uow(), finding.id, data)


# --------------------------------------------------------------------------- one question


class QuestionPanel(QWidget):
    """One question: text, score buttons with the scale's labels, guidance, comment, previous/next.

    Signals:
        answer_changed(str, object, object): question code, score (int or None), comment.
        move_requested(int): -1 previous question, +1 next question.
    """

    answer_changed = Signal(str, object, object)
    move_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question: QuestionView | None = None
        self._loading = False
        self.dimension_label = QLabel()
        self.dimension_label.setObjectName("dimension_title")
        self.number_label = QLabel()
        self.text_label = heading_label(scale=1.05)
        self.text_label.setObjectName("question_text")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # so a chosen score can be un-chosen
        buttons = QHBoxLayout()
        self.score_buttons: dict[int, QPushButton] = {}
        for score in range(1, 6):
            button = QPushButton(f"{to_persian_digits(score)}\n{SCALE_LABELS[score]}")
            button.setObjectName(f"score_{score}")
            button.setCheckable(True)
            button.setMinimumHeight(48)
            button.setToolTip(self.tr("Score %1 (key %1)").replace("%1", to_persian_digits(score)))
            self.group.addButton(button, score)
            buttons.addWidget(button)
            self.score_buttons[score] = button
        na_label = self.tr("Not applicable / unknown")
        na = QPushButton(f"{to_persian_digits(NOT_APPLICABLE)}\n{na_label}")
        na.setObjectName("score_na")
        na.setCheckable(True)
        na.setMinimumHeight(48)
        na.setToolTip(
            self.tr(
                "The question does not apply to this unit, or the answer is not known (key 0); not scored"
            )
        )
        self.group.addButton(na, NOT_APPLICABLE)
        buttons.addWidget(na)
        self.score_buttons[NOT_APPLICABLE] = na
        self.group.idClicked.connect(self._score_clicked)
        self.guidance_box = QGroupBox(self.tr("Guidance"))
        guidance_layout = QVBoxLayout(self.guidance_box)
        self.guidance_labels: dict[str, QLabel] = {}
        for key in ("1", "3", "5"):
            label = QLabel()
            label.setWordWrap(True)
            label.setObjectName(f"guidance_{key}")
            guidance_layout.addWidget(label)
            self.guidance_labels[key] = label
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(70)
        self.comment.setPlaceholderText(self.tr("Comment: what you saw, documents checked…"))
        self.comment.textChanged.connect(self._comment_changed)
        self.prev_button = QPushButton(self.tr("Previous"))
        self.prev_button.setObjectName("previous_question")
        self.prev_button.clicked.connect(lambda: self.move_requested.emit(-1))
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setObjectName("next_question")
        self.next_button.clicked.connect(lambda: self.move_requested.emit(1))
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.dimension_label)
        layout.addWidget(self.number_label)
        layout.addWidget(self.text_label)
        layout.addLayout(buttons)
        layout.addWidget(self.guidance_box)
        layout.addWidget(QLabel(self.tr("Comment")))
        layout.addWidget(self.comment)
        layout.addStretch(1)
        layout.addLayout(nav)

    def show_question(
        self, question: QuestionView, dimension_title: str, number: int, total: int, answer: Answer, *,
        scores_editable: bool, comments_editable: bool,
    ) -> None:  # fmt: skip
        self._loading = True
        self.question = question
        self.dimension_label.setText(dimension_title)
        self.number_label.setText(
            self.tr("Question %1 of %2")
            .replace("%1", to_persian_digits(number))
            .replace("%2", to_persian_digits(total))
        )
        self.text_label.setText(question.text)
        for key, label in self.guidance_labels.items():
            text = question.guidance.get(key, "")
            label.setText(f"{to_persian_digits(key)} — {SCALE_LABELS[int(key)]}: {text}" if text else "")
            label.setVisible(bool(text))
        score, comment = answer
        self._show_score(score)
        for button in self.score_buttons.values():
            button.setEnabled(scores_editable)
        self.comment.setReadOnly(not comments_editable)
        if self.comment.toPlainText() != (comment or ""):
            self.comment.setPlainText(comment or "")
        self._loading = False

    def _show_score(self, score: int | None) -> None:
        for value, button in self.score_buttons.items():
            button.setChecked(value == score)
        # The guidance line for the chosen score (or the nearest described ones) in bold.
        near = (
            set()
            if score is None or score == NOT_APPLICABLE
            else ({str(score)} if score in (1, 3, 5) else {str(score - 1), str(score + 1)})
        )
        for key, label in self.guidance_labels.items():
            font = label.font()
            font.setBold(key in near)
            label.setFont(font)

    def set_score(self, score: int | None) -> None:
        if self.question is None or not self.score_buttons[1].isEnabled():
            return
        self._show_score(score)
        self.answer_changed.emit(self.question.code, score, self.comment.toPlainText() or None)

    def _score_clicked(self, score: int) -> None:
        checked = self.score_buttons[score].isChecked()
        self.set_score(score if checked else None)
        if checked:
            self.move_requested.emit(1)

    def current_score(self) -> int | None:
        return next((v for v, b in self.score_buttons.items() if b.isChecked()), None)

    def _comment_changed(self) -> None:
        if self._loading or self.question is None:
            return
        self.answer_changed.emit(self.question.code, self.current_score(), self.comment.toPlainText() or None)

    def keyPressEvent(self, event) -> None:
        text = event.text()
        digit = "012345".find(text) if text else -1
        if digit < 0 and text:
            digit = "۰۱۲۳۴۵".find(text)
        if digit >= 0 and not self.comment.hasFocus():
            self.set_score(NOT_APPLICABLE if digit == 0 else digit)
            self.move_requested.emit(1)
            return
        super().keyPressEvent(event)


# --------------------------------------------------------------------------- the tab


class DiagnosisTab(CaseTab):
    """Questionnaire, scores and findings of the case's diagnoses.

    Signals:
        answers_saved(str): answers of this diagnosis were saved.
    """

    answers_saved = Signal(str)

    def __init__(self, workspace) -> None:
        super().__init__(workspace)
        self.view: DiagnosisView | None = None
        self._answers: dict[str, Answer] = {}
        self._saved: dict[str, Answer] = {}
        self._order: list[tuple[QuestionView, str]] = []  # every question with its dimension title
        self._items: dict[str, QTreeWidgetItem] = {}
        self._current = 0
        self._findings_of: str | None = None  # the diagnosis whose findings the table shows

        self.selector = QComboBox()
        self.selector.setObjectName("diagnosis_selector")
        self.selector.setMinimumContentsLength(24)
        self.selector.activated.connect(lambda _i: self._select_diagnosis(self.selector.currentData()))
        self.start_button = QPushButton(self.tr("Start a diagnosis…"))
        self.start_button.setObjectName("start_diagnosis")
        self.start_button.clicked.connect(self.start)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("answered")
        self.save_button = QPushButton(self.tr("Save answers"))
        self.save_button.setObjectName("save_answers")
        self.save_button.setToolTip(self.tr("Save answers (Ctrl+S)"))
        self.save_button.clicked.connect(lambda: self.save())
        self.finalize_button = QPushButton(self.tr("Finalize"))
        self.finalize_button.setObjectName("finalize")
        self.finalize_button.setToolTip(self.tr("Save, compute the scores and derive the findings"))
        self.finalize_button.clicked.connect(self.finalize)
        self.discard_button = QPushButton(self.tr("Discard draft"))
        self.discard_button.setObjectName("discard_diagnosis")
        self.discard_button.clicked.connect(self.discard)
        bar = QHBoxLayout()
        bar.addWidget(self.selector)
        bar.addWidget(self.start_button)
        bar.addStretch(1)
        bar.addWidget(self.progress_label)
        bar.addWidget(self.save_button)
        bar.addWidget(self.finalize_button)
        bar.addWidget(self.discard_button)
        self.banner = Banner(name="diagnosis_banner")

        # questionnaire
        self.tree = QTreeWidget()
        self.tree.setObjectName("questions")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Question"), self.tr("Score")])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._tree_item_changed)
        self.panel = QuestionPanel()
        self.panel.answer_changed.connect(self._answer_changed)
        self.panel.move_requested.connect(self._move)
        panel_scroll = QScrollArea()  # scrolls rather than grow the tab (see the results below)
        panel_scroll.setWidgetResizable(True)
        panel_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        panel_scroll.setWidget(self.panel)
        questionnaire = QSplitter(Qt.Orientation.Horizontal)
        questionnaire.addWidget(self.tree)
        questionnaire.addWidget(panel_scroll)
        questionnaire.setStretchFactor(0, 2)
        questionnaire.setStretchFactor(1, 3)

        # results
        self.overall_label = heading_label(scale=1.1)
        self.overall_label.setObjectName("overall")
        self.dimension_model = RowsTableModel(
            DIMENSION_COLUMNS, DIM_CONTEXT, self, foreground=_dimension_color
        )
        self.dimension_table = make_table(self.dimension_model, name="dimension_scores")
        fit_columns(self.dimension_table, stretch=0)
        self.radar = RadarChart(minimum=0, maximum=5)
        self.radar.setObjectName("radar")
        scores_row = QSplitter(Qt.Orientation.Horizontal)
        scores_row.addWidget(self.dimension_table)
        scores_row.addWidget(self.radar)
        scores_row.setStretchFactor(0, 2)
        scores_row.setStretchFactor(1, 3)
        self.findings_model = RowsTableModel(
            FINDING_COLUMNS, FINDING_CONTEXT, self, foreground=_finding_color
        )
        self.findings_table = make_table(self.findings_model, name="findings_table")
        delete_key(self.findings_table, self.remove_finding)
        fit_columns(self.findings_table, stretch=2)
        self.findings_table.doubleClicked.connect(lambda _i: self.edit_finding())
        self.add_finding_button = QPushButton(self.tr("Add finding…"))
        self.add_finding_button.setObjectName("add_finding")
        self.add_finding_button.clicked.connect(self.add_finding)
        self.edit_finding_button = QPushButton(self.tr("Edit…"))
        self.edit_finding_button.clicked.connect(self.edit_finding)
        self.remove_finding_button = QPushButton(self.tr("Remove"))
        self.remove_finding_button.clicked.connect(self.remove_finding)
        self.draft_button = QPushButton(self.tr("Draft plan actions from findings"))
        self.draft_button.setObjectName("draft_actions")
        self.draft_button.clicked.connect(self.draft_actions)
        finding_buttons = QHBoxLayout()
        for b in (self.add_finding_button, self.edit_finding_button, self.remove_finding_button):
            finding_buttons.addWidget(b)
        finding_buttons.addStretch(1)
        finding_buttons.addWidget(self.draft_button)
        findings_box = QGroupBox(self.tr("Findings"))
        findings_layout = QVBoxLayout(findings_box)
        findings_layout.addLayout(finding_buttons)
        findings_layout.addWidget(self.findings_table)
        results = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.overall_label)
        top_layout.addWidget(scores_row, 1)
        results.addWidget(top)
        results.addWidget(findings_box)

        self.inner = QTabWidget()
        self.inner.setObjectName("diagnosis_inner_tabs")
        self.inner.addTab(questionnaire, self.tr("Questionnaire"))
        # The scores and findings scroll rather than grow the tab: with a review or read-only banner above
        # them, the case workspace must still fit a 1366x768 screen.
        results_scroll = QScrollArea()
        results_scroll.setWidgetResizable(True)
        results_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        results_scroll.setWidget(results)
        self.inner.addTab(results_scroll, self.tr("Scores and findings"))
        self.empty_label = QLabel()
        self.empty_label.setObjectName("no_diagnosis")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.inner)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=lambda: self.save())

    # ------------------------------------------------------------------ showing

    def current_diagnosis_id(self) -> str | None:
        return self.view.id if self.view is not None else None

    def apply(self, bundle: CaseBundle) -> None:
        super().apply(bundle)
        case = bundle.case
        view = bundle.diagnosis
        self.selector.blockSignals(True)
        self.selector.clear()
        for s in bundle.diagnoses:
            state = diagnoses.STATE_LABELS.get(s.state, s.state)
            score = f" — {fa_score(s.overall_score)}" if s.overall_score is not None else ""
            self.selector.addItem(f"{fa_date(s.performed_on)} — {state}{score}", s.id)
        if view is not None:
            self.selector.setCurrentIndex(max(0, self.selector.findData(view.id)))
        self.selector.blockSignals(False)
        self.selector.setVisible(bool(bundle.diagnoses))
        has_draft = any(s.state == "draft" for s in bundle.diagnoses)
        can_start = case.status in diagnoses.BEGIN_CASE_STATUSES and not has_draft
        self.start_button.setEnabled(can_start)
        if case.status not in diagnoses.BEGIN_CASE_STATUSES:
            self.start_button.setToolTip(self.tr("A suspended or closed case gets no new diagnosis."))
        elif case.status == "intake":
            self.start_button.setToolTip(self.tr("Moves the case from intake to diagnosis and starts it."))
        elif has_draft:
            self.start_button.setToolTip(self.tr("Finish or discard the draft diagnosis first."))
        else:
            self.start_button.setToolTip("")
        if view is None:
            self.view = None
            self._answers, self._saved, self._order = {}, {}, []
            if case.status in diagnoses.BEGIN_CASE_STATUSES:
                text = self.tr("This case has no diagnosis yet. Start one from the template.")
            else:
                text = self.tr("A suspended or closed case gets no new diagnosis.")
            self.empty_label.setText(text)
            self.stack.setCurrentWidget(self.empty_label)
            for b in (self.save_button, self.finalize_button, self.discard_button):
                b.setEnabled(False)
            self.progress_label.clear()
            return
        self.stack.setCurrentWidget(self.inner)
        same = self.view is not None and self.view.id == view.id
        keep_typed = same and self.is_dirty()
        self.view = view
        self._saved = {q.code: (q.score, q.comment) for d in view.dimensions for q in d.questions}
        if not keep_typed:
            self._answers = dict(self._saved)
            self._build_tree(keep_position=same)
        self._show_results()
        self._update_buttons()
        review = bundle.review_of("diagnosis", view.id)
        if review is not None and review.state != "none":
            kind = "warning" if review.state == "returned" else "info"
            text = review.describe()
            if review.locked:
                text += " — " + self.tr("Locked: a reviewer must reopen it before it can be changed.")
            self.banner.show_message(html.escape(text), kind)

    def _build_tree(self, *, keep_position: bool) -> None:
        view = self.view
        assert view is not None
        position = self._current if keep_position else 0
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items.clear()
        self._order = []
        number = 0
        for dim in view.dimensions:
            parent = QTreeWidgetItem([dim.title, ""])
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(parent)
            for q in dim.questions:
                number += 1
                item = QTreeWidgetItem([f"{to_persian_digits(number)}. {q.text}", ""])
                item.setToolTip(0, q.text)
                item.setData(0, CODE_ROLE, len(self._order))
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignCenter)
                parent.addChild(item)
                self._items[q.code] = item
                self._order.append((q, dim.title))
            parent.setExpanded(True)
        self.tree.blockSignals(False)
        self._refresh_tree_scores()
        if self._order:
            self.show_question(min(position, len(self._order) - 1))

    def shown_view(self) -> DiagnosisView | None:
        """The diagnosis with the answers as typed (saved or not): what the averages and scores show."""
        if self.view is None:
            return None
        return diagnoses.preview(self.view, {code: score for code, (score, _c) in self._answers.items()})

    def _refresh_tree_scores(self) -> None:
        view = self.shown_view()
        if view is None:
            return
        for i, dim in enumerate(view.dimensions):
            parent = self.tree.topLevelItem(i)
            parent.setText(1, fa_score(dim.score))
            parent.setForeground(1, QBrush(QColor(WEAK_COLOR if dim.is_weak else "#263238")))
        for code, item in self._items.items():
            score = self._answers.get(code, (None, None))[0]
            if score is None:
                item.setText(1, "—")
            elif score == NOT_APPLICABLE:
                item.setText(1, self.tr("N/A"))
            else:
                item.setText(1, to_persian_digits(score))
            changed = self._answers.get(code) != self._saved.get(code)
            font = item.font(1)
            font.setBold(changed)
            item.setFont(1, font)
        answered = sum(1 for s, _c in self._answers.values() if s is not None)
        self.progress_label.setText(
            self.tr("%1 of %2 answered")
            .replace("%1", to_persian_digits(answered))
            .replace("%2", to_persian_digits(len(self._order)))
        )

    def locked(self) -> bool:
        """The shown diagnosis was accepted by a reviewer: no edit until a reviewer reopens it."""
        bundle, view = self.bundle, self.view
        review = bundle.review_of("diagnosis", view.id) if bundle is not None and view is not None else None
        return review is not None and review.locked

    def _scores_editable(self) -> bool:
        view, bundle = self.view, self.bundle
        if view is None or bundle is None or self.read_only or self.locked():
            return False
        return view.state == "draft" or bundle.case.status == "diagnosis"

    def show_question(self, index: int) -> None:
        if not 0 <= index < len(self._order):
            return
        self._current = index
        question, dimension_title = self._order[index]
        self.panel.show_question(
            question,
            dimension_title,
            index + 1,
            len(self._order),
            self._answers.get(question.code, (None, None)),
            scores_editable=self._scores_editable(),
            comments_editable=self.bundle is not None and self.bundle.case.status != "closed",
        )
        self.panel.prev_button.setEnabled(index > 0)
        self.panel.next_button.setEnabled(index < len(self._order) - 1)
        item = self._items.get(question.code)
        if item is not None and self.tree.currentItem() is not item:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.blockSignals(False)
            self.tree.scrollToItem(item)

    def _tree_item_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        if item is None:
            return
        index = item.data(0, CODE_ROLE)
        if index is None and item.childCount():
            index = item.child(0).data(0, CODE_ROLE)
        if index is not None:
            self.show_question(int(index))

    def _move(self, step: int) -> None:
        self.show_question(max(0, min(len(self._order) - 1, self._current + step)))
        self.panel.setFocus()

    def _answer_changed(self, code: str, score: int | None, comment: str | None) -> None:
        self._answers[code] = (score, comment)
        self._refresh_tree_scores()
        self._show_results()
        self._update_buttons()

    def _show_results(self) -> None:
        view = self.shown_view()
        assert view is not None
        state = view.state_label
        overall = fa_score(view.overall_score) or "—"
        text = (
            self.tr("Overall score: %1 of %2 (%3)")
            .replace("%1", overall)
            .replace("%2", to_persian_digits(diagnoses.SCORE_MAX))
            .replace("%3", state)
        )
        if self.is_dirty():
            text += " — " + self.tr("with answers not saved yet")
        self.overall_label.setText(text)
        self.dimension_model.set_rows(view.dimensions)
        self.radar.set_scores([(d.title, d.score) for d in view.dimensions], threshold=view.weak_threshold)
        # The same diagnosis read again (a finding edited): findings keep their places and the selection.
        keep = selected_id(self.findings_table)
        same = self._findings_of == view.id
        self._findings_of = view.id
        self.findings_model.set_rows(view.findings, keep_order=same)
        if same:
            select_id(self.findings_table, keep)

    def _update_buttons(self) -> None:
        view = self.view
        writable = view is not None and not self.read_only and not self.locked()
        self.save_button.setEnabled(writable and self.is_dirty())
        self.finalize_button.setEnabled(writable and (view.state == "draft" or self.is_dirty()))
        self.discard_button.setEnabled(writable and view.state == "draft")
        final = view is not None and view.state == "final"
        for b in (self.add_finding_button, self.edit_finding_button, self.remove_finding_button):
            b.setEnabled(writable)
        self.draft_button.setEnabled(writable and final and any(d.is_weak for d in view.dimensions))
        if writable and final and not any(d.is_weak for d in view.dimensions):
            self.draft_button.setToolTip(self.tr("No dimension is weak: there is nothing to draft."))
        else:
            self.draft_button.setToolTip("")

    # ------------------------------------------------------------------ dirty state

    def changed_answers(self) -> dict[str, Answer]:
        return {code: a for code, a in self._answers.items() if self._saved.get(code) != a}

    def is_dirty(self) -> bool:
        return bool(self.changed_answers())

    def discard_changes(self) -> None:
        self._answers = dict(self._saved)
        if self.view is not None and self._order:
            self._refresh_tree_scores()
            self._show_results()
            self.show_question(self._current)

    def set_answer(self, code: str, score: int | None, comment: str | None = None) -> None:
        """Score a question as the panel does (tests, and keyboard entry from the tree)."""
        index = next(i for i, (q, _t) in enumerate(self._order) if q.code == code)
        self.show_question(index)
        if comment is not None:
            self.panel.comment.setPlainText(comment)
        self.panel.set_score(score)

    # ------------------------------------------------------------------ actions

    def _select_diagnosis(self, diagnosis_id: str | None) -> None:
        if diagnosis_id is None or (self.view is not None and diagnosis_id == self.view.id):
            return
        from clinic_app.ui import guard

        choice = guard.ask_unsaved(self) if self.is_dirty() else guard.DISCARD
        if choice == guard.CANCEL:
            self.selector.setCurrentIndex(max(0, self.selector.findData(self.view.id)))
            return
        if choice == guard.SAVE:
            self.selector.setCurrentIndex(max(0, self.selector.findData(self.view.id)))
            self.save(then=lambda: self.workspace.reload(diagnosis_id=diagnosis_id))
            return
        self.discard_changes()
        self.workspace.reload(diagnosis_id=diagnosis_id)

    def start(self) -> None:
        if self.bundle is None:
            return
        dialog = StartDiagnosisDialog(self.ctx, self.bundle, self)
        dialog.saved.connect(self._started)
        dialog.open()

    def _started(self, view: DiagnosisView) -> None:
        """A diagnosis was begun (here or from the overview): show its questionnaire."""
        self.workspace.tabs.setCurrentWidget(self)
        self.inner.setCurrentIndex(0)
        self.workspace.changed(diagnosis_id=view.id)

    def save(self, then: Callable[[], None] | None = None) -> OperationHandle | None:
        """Save the changed answers; ``then`` runs once they are saved. None when nothing was to save."""
        view, changed = self.view, self.changed_answers()
        if view is None or not changed:
            return None
        ctx = self.ctx
        self.banner.show_message(None)
        return self.run_write(
            lambda _s: diagnoses.save_answers(ctx.uow(), view.id, changed),
            title=self.tr("Saving answers"),
            on_done=lambda _v: self._answers_saved(view.id, then),
        )

    def save_changes(self) -> OperationHandle | None:
        return self.save()

    def _answers_saved(self, diagnosis_id: str, then: Callable[[], None] | None = None) -> None:
        self._saved = dict(self._answers)
        self._refresh_tree_scores()
        if self.view is not None:
            self._show_results()
        self._update_buttons()
        self.answers_saved.emit(diagnosis_id)
        if then is not None:
            then()

    def finalize(self) -> None:
        view = self.view
        if view is None:
            return
        # With questions unanswered the service refuses and says where: no point asking first.
        complete = all(score is not None for score, _c in self._answers.values())
        if complete and not confirm(
            self,
            self.tr("Finalize the diagnosis"),
            self.tr(
                "Finalize the diagnosis? The answers are saved, the scores stored, and a finding is derived "
                "from every answer scored 1 or 2. Scores can be changed afterwards only while the case is "
                "still in diagnosis."
            ),
            yes_text=self.tr("Finalize"),
        ):
            return
        ctx, changed = self.ctx, self.changed_answers()

        def work(_s):
            if changed:
                diagnoses.save_answers(ctx.uow(), view.id, changed)
            return diagnoses.finalize(ctx.uow(), view.id)

        def done(_v) -> None:
            self._saved = dict(self._answers)
            self.inner.setCurrentIndex(1)
            self.banner.show_message(
                html.escape(self.tr("The diagnosis is final: scores computed and findings derived.")), "info"
            )

        self.run_write(work, title=self.tr("Finalizing diagnosis"), on_done=done)

    def discard(self) -> None:
        view = self.view
        if view is None or view.state != "draft":
            return
        if not confirm(
            self, self.tr("Discard draft"), self.tr("Discard this draft diagnosis and its answers?")
        ):
            return
        ctx = self.ctx
        self._answers = dict(self._saved)
        self.view = None
        self.run_write(
            lambda _s: diagnoses.discard_diagnosis(ctx.uow(), view.id), title=self.tr("Discarding")
        )

    def add_finding(self) -> None:
        if self.view is None:
            return
        dialog = FindingDialog(self.ctx, self.view, None, self)
        dialog.saved.connect(lambda _v: self.workspace.changed())
        dialog.open()

    def edit_finding(self) -> None:
        finding = selected_item(self.findings_table)
        if self.view is None or finding is None:
            return
        dialog = FindingDialog(self.ctx, self.view, finding, self)
        dialog.saved.connect(lambda _v: self.workspace.changed())
        dialog.open()

    def remove_finding(self) -> None:
        finding = selected_item(self.findings_table)
        if finding is None:
            return
        if not confirm(
            self, self.tr("Remove finding"), self.tr("Remove the finding «%1»?").replace("%1", finding.title)
        ):
            return
        ctx = self.ctx
        self.run_write(
            lambda _s: diagnoses.remove_finding(ctx.uow(), finding.id),
            title=self.tr("Removing finding"),
            on_done=lambda _r: self.workspace.removed("finding", finding.id, finding.title),
        )

    def draft_actions(self) -> None:
        view = self.view
        if view is None:
            return
        ctx = self.ctx

        def done(actions) -> None:
            count = len(actions)
            if count:
                text = self.tr("%1 actions were drafted in the plan.").replace("%1", to_persian_digits(count))
            else:
                text = self.tr("The plan already has every action these findings suggest.")
            self.banner.show_message(html.escape(text), "info")
            self.workspace.plan.banner.show_message(html.escape(text), "info")
            self.workspace.tabs.setCurrentWidget(self.workspace.plan)

        self.run_write(
            lambda _s: diagnoses.draft_actions_from_findings(ctx.uow(), view.id),
            title=self.tr("Drafting actions"),
            on_done=done,
        )
