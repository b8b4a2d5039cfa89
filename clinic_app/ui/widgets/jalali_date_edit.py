"""A date field in the Jalali calendar: type it (Persian or Latin digits) or pick it from a month popup.

Built on ``clinic_app.core.jalali`` (``parse_date``, ``format_date``, ``month_grid``), not on Qt's own Jalali
``QCalendar``, so the field reads exactly what the services and reports read, with the same Persian error
messages. The value is a Gregorian ``datetime.date`` (or ``None`` for an empty field); Jalali is only what
people see and type.

A bad date is not thrown away: the text stays as typed and a Persian message appears under the field until
it is corrected. ``raw_value()`` hands a form what to pass to a service: the date when it parses, the text
as typed when it does not (so the service names the field in its ``ValidationFailed`` with the others),
``None`` when empty.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core import jalali
from clinic_app.core.errors import FieldError, ValidationFailed
from clinic_app.core.persian import to_persian_digits
from clinic_app.ui.form_errors import ERROR_STYLE
from clinic_app.ui.widgets.digits import persian_digits_as_typed

FRIDAY_COLOR = "#c62828"
TODAY_BORDER = "#1565c0"
GRID_ROWS = 6


class JalaliCalendarPopup(QFrame):
    """A Jalali month: Persian month and weekday names, Saturday first, Friday in red, today outlined.

    Signals:
        date_selected(object): the ``datetime.date`` the user clicked (the popup then hides).
    """

    date_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("jalali_calendar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self._year, self._month, _ = jalali.today_jalali()
        self._selected: date | None = None
        self._cell_dates: dict[tuple[int, int], date | None] = {}

        self.prev_button = QToolButton()
        self.prev_button.setObjectName("prev_month")
        self.prev_button.setAutoRaise(True)
        self.prev_button.setArrowType(Qt.ArrowType.RightArrow)  # right is "back" in a right-to-left page
        self.prev_button.setToolTip(self.tr("Previous month"))
        self.prev_button.clicked.connect(lambda: self.step_month(-1))
        self.next_button = QToolButton()
        self.next_button.setObjectName("next_month")
        self.next_button.setAutoRaise(True)
        self.next_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button.setToolTip(self.tr("Next month"))
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.month_combo = QComboBox()
        self.month_combo.setObjectName("month")
        self.month_combo.addItems(list(jalali.MONTH_NAMES))
        self.month_combo.activated.connect(lambda i: self.show_month(self._year, i + 1))
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("year")
        self.year_spin.setRange(jalali.MIN_YEAR, jalali.MAX_YEAR)
        self.year_spin.valueChanged.connect(lambda y: self.show_month(y, self._month))

        header = QHBoxLayout()
        header.addWidget(self.prev_button)
        header.addStretch(1)
        header.addWidget(self.month_combo)
        header.addWidget(self.year_spin)
        header.addStretch(1)
        header.addWidget(self.next_button)

        grid = QGridLayout()
        grid.setSpacing(2)
        self.weekday_labels: list[QLabel] = []
        for col, name in enumerate(jalali.WEEKDAY_NAMES):
            label = QLabel(name)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setObjectName(f"weekday_{col}")
            small = label.font()
            small.setPointSizeF(small.pointSizeF() * 0.85)
            label.setFont(small)
            if col in jalali.WEEKEND_WEEKDAYS:
                label.setStyleSheet(f"color: {FRIDAY_COLOR};")
            grid.addWidget(label, 0, col)
            self.weekday_labels.append(label)
        self.cells: list[list[QToolButton]] = []
        for row in range(GRID_ROWS):
            buttons = []
            for col in range(7):
                button = QToolButton()
                button.setObjectName(f"day_{row}_{col}")
                button.setAutoRaise(True)
                button.setMinimumSize(56, 30)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _=False, r=row, c=col: self._cell_clicked(r, c))
                grid.addWidget(button, row + 1, col)
                buttons.append(button)
            self.cells.append(buttons)

        self.today_button = QPushButton(self.tr("Today"))
        self.today_button.setObjectName("today")
        self.today_button.clicked.connect(lambda: self._choose(jalali.local_today()))
        footer = QHBoxLayout()
        footer.addWidget(self.today_button)
        footer.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addLayout(footer)
        self.show_month(self._year, self._month)

    # ------------------------------------------------------------------ navigation

    @property
    def year(self) -> int:
        return self._year

    @property
    def month(self) -> int:
        return self._month

    def step_month(self, delta: int) -> None:
        index = self._year * 12 + (self._month - 1) + delta
        year, month = divmod(index, 12)
        if jalali.MIN_YEAR <= year <= jalali.MAX_YEAR:
            self.show_month(year, month + 1)

    def set_selected(self, value: date | None) -> None:
        """Mark ``value`` and show its month (today's month when None)."""
        self._selected = value
        year, month, _ = jalali.to_jalali(value) if value else jalali.today_jalali()
        self.show_month(year, month)

    def show_month(self, year: int, month: int) -> None:
        year = max(jalali.MIN_YEAR, min(jalali.MAX_YEAR, year))
        self._year, self._month = year, month
        for widget, value in ((self.year_spin, year), (self.month_combo, month - 1)):
            widget.blockSignals(True)
            if isinstance(widget, QSpinBox):
                widget.setValue(value)
            else:
                widget.setCurrentIndex(value)
            widget.blockSignals(False)
        today = jalali.local_today()
        weeks = jalali.month_grid(year, month)
        self._cell_dates.clear()
        for row in range(GRID_ROWS):
            for col in range(7):
                button = self.cells[row][col]
                day = weeks[row][col] if row < len(weeks) else None
                self._cell_dates[(row, col)] = day
                if day is None:
                    button.setText("")
                    button.setEnabled(False)
                    button.setToolTip("")
                    button.setStyleSheet("")
                    continue
                button.setEnabled(True)
                button.setText(to_persian_digits(jalali.to_jalali(day)[2]))
                button.setToolTip(jalali.format_date(day, "full"))
                style = []
                if col in jalali.WEEKEND_WEEKDAYS:
                    style.append(f"color: {FRIDAY_COLOR};")
                if day == today:
                    style.append(f"border: 2px solid {TODAY_BORDER}; border-radius: 4px; font-weight: bold;")
                if day == self._selected:
                    style.append("background: palette(highlight); color: palette(highlighted-text);")
                button.setStyleSheet(" ".join(style))
                button.setProperty("today", day == today)
                button.setProperty("selected", day == self._selected)

    # ------------------------------------------------------------------ inspection (tests, keyboard)

    def weekday_header_texts(self) -> list[str]:
        return [label.text() for label in self.weekday_labels]

    def cell_date(self, row: int, col: int) -> date | None:
        return self._cell_dates.get((row, col))

    def cell_for(self, value: date) -> QToolButton | None:
        for (row, col), day in self._cell_dates.items():
            if day == value:
                return self.cells[row][col]
        return None

    # ------------------------------------------------------------------ choosing

    def _cell_clicked(self, row: int, col: int) -> None:
        day = self._cell_dates.get((row, col))
        if day is not None:
            self._choose(day)

    def _choose(self, day: date) -> None:
        self._selected = day
        self.hide()
        self.date_selected.emit(day)

    def keyPressEvent(self, event) -> None:
        # Page Up / Page Down move by month, as in most calendar pickers.
        if event.key() == Qt.Key.Key_PageUp:
            self.step_month(-1)
        elif event.key() == Qt.Key.Key_PageDown:
            self.step_month(1)
        else:
            super().keyPressEvent(event)


class JalaliDateEdit(QWidget):
    """A Jalali date field: a line to type in, a calendar button (F4 or Alt+Down) and an inline error.

    Signals:
        date_changed(object): the value (``datetime.date`` or ``None``) changed, by typing or picking.
    """

    date_changed = Signal(object)

    def __init__(
        self, parent: QWidget | None = None, *, required: bool = False, field: str = "date", inline_error=True
    ) -> None:
        super().__init__(parent)
        self.required = required
        self.field = field
        self._date: date | None = None
        self._error: FieldError | None = None
        self._popup: JalaliCalendarPopup | None = None

        self.line_edit = persian_digits_as_typed(QLineEdit())
        self.line_edit.setObjectName("date_text")
        self.line_edit.setPlaceholderText(self.tr("e.g. 1403/07/15"))
        self.line_edit.setToolTip(
            self.tr("Type a Jalali date, year first (e.g. 1403/07/15), or press F4 for the calendar")
        )
        self.line_edit.setMaxLength(40)
        self.line_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.line_edit.editingFinished.connect(self._commit_text)
        self.line_edit.textEdited.connect(self._text_edited)
        self.button = QToolButton()
        self.button.setObjectName("calendar_button")
        self.button.setText("▾")
        self.button.setToolTip(self.tr("Choose from the calendar (F4)"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_popup)
        self.error_label = QLabel()
        self.error_label.setObjectName("date_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self._inline_error = inline_error

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line_edit, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self.setFocusProxy(self.line_edit)
        self.line_edit.installEventFilter(self)

    # ------------------------------------------------------------------ value

    def date(self) -> date | None:
        """The last valid date (None when empty or while the text does not parse)."""
        return self._date if self._error is None else None

    def setDate(self, value: date | None) -> None:
        old = self.date()
        self._date = value
        self._set_error(None)
        self.line_edit.setText(jalali.format_date(value) if value else "")
        if value != old:
            self.date_changed.emit(value)

    def text(self) -> str:
        return self.line_edit.text()

    def setText(self, text: str) -> None:
        self.line_edit.setText(text)
        self._commit_text()

    def raw_value(self) -> date | str | None:
        """What a form passes to a service: the date, the bad text as typed, or None when empty."""
        self._commit_text()
        if self._error is not None:
            return self.line_edit.text()
        return self._date

    def is_valid(self) -> bool:
        return self._error is None

    def error(self) -> FieldError | None:
        return self._error

    def validate(self) -> bool:
        """Read the text now and show its error, if any; True when the field is acceptable."""
        self._commit_text()
        return self._error is None

    # ------------------------------------------------------------------ errors

    def show_error(self, message: str | None) -> None:
        """Show a message from elsewhere (a service's field error) under the field; None clears it."""
        self._set_error(FieldError(self.field, "external", message) if message else None)

    def _set_error(self, error: FieldError | None) -> None:
        self._error = error
        self.line_edit.setProperty("invalid", error is not None)
        if error is None:
            self.error_label.clear()
            self.error_label.hide()
            self.line_edit.setStyleSheet("")
        else:
            self.error_label.setText(error.message)
            self.error_label.setVisible(self._inline_error)
            self.line_edit.setStyleSheet("border: 1px solid #b00020;")

    # ------------------------------------------------------------------ typing

    def _text_edited(self, _text: str) -> None:
        # A message about the old text is out of date once the user types again.
        if self._error is not None and self._error.code != "external":
            self.error_label.hide()

    def _commit_text(self) -> None:
        old = self._date if self._error is None else None
        text = self.line_edit.text()
        try:
            value = jalali.parse_optional_date(text, self.field)
            if value is None and self.required:
                raise ValidationFailed(FieldError(self.field, "date.required", "تاریخ را وارد کنید"))
        except ValidationFailed as exc:
            self._set_error(exc.errors[0])
            if old is not None:
                self.date_changed.emit(None)
            return
        self._set_error(None)
        self._date = value
        canonical = jalali.format_date(value) if value else ""
        if canonical != text:
            self.line_edit.setText(canonical)
        if value != old:
            self.date_changed.emit(value)

    # ------------------------------------------------------------------ popup

    @property
    def popup(self) -> JalaliCalendarPopup:
        if self._popup is None:
            self._popup = JalaliCalendarPopup(self)
            self._popup.date_selected.connect(self._picked)
        return self._popup

    def open_popup(self) -> None:
        self._commit_text()
        popup = self.popup
        popup.set_selected(self.date())
        popup.adjustSize()
        # Under the field, its right edge on the field's right edge (a right-to-left form).
        below = self.line_edit.mapToGlobal(QPoint(self.line_edit.width(), self.line_edit.height()))
        x = below.x() - popup.width()
        screen = QApplication.screenAt(below) or QApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            x = max(area.left(), min(x, area.right() - popup.width()))
            y = below.y() if below.y() + popup.height() <= area.bottom() else below.y() - popup.height()
            y -= 0 if y == below.y() else self.line_edit.height()
        else:
            y = below.y()
        popup.move(x, y)
        popup.show()
        selected = popup.cell_for(self.date()) if self.date() else popup.cell_for(jalali.local_today())
        (selected or popup.month_combo).setFocus()

    def _picked(self, day: date) -> None:
        self.setDate(day)
        self.line_edit.setFocus()

    def eventFilter(self, watched, event) -> bool:
        # F4 or Alt+Down opens the calendar, as in Qt's own date and combo boxes.
        if watched is self.line_edit and event.type() == QEvent.Type.KeyPress:
            alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
            if (event.key() == Qt.Key.Key_F4 or alt_down) and not self.line_edit.isReadOnly():
                self.open_popup()
                return True
        return super().eventFilter(watched, event)

    def setReadOnly(self, read_only: bool) -> None:
        self.line_edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)
