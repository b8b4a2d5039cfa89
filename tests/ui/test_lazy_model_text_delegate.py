"""FastTextDelegate paints a lazy model's cells where and as QStyledItemDelegate does, only cheaper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QImage

from clinic_app.ui.widgets import text_delegate
from clinic_app.ui.widgets.common import make_table, select_row
from clinic_app.ui.widgets.lazy_model import (
    ALIGN_CENTER,
    CELL_ROLE,
    DELETED_COLOR,
    WARNING_COLOR,
    Column,
    LazyIdTableModel,
)
from clinic_app.ui.widgets.text_delegate import FastTextDelegate


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    code: str
    status: str
    deleted_at: datetime | None = None


ROWS = [
    Row("a", "شرکت کیمیا پلاستیک سپاهان", "۱۰۱۲۳۴۵۶۷۸۹", "فعال"),
    # Longer than its column: elided.
    Row("b", "شرکت تولیدی و بازرگانی سپهرسان آسا (سهامی خاص) با نامی بسیار بلند", "۱۰۸۷۶۵۴۳۲۱۰", "راکد"),
    Row("c", "Kian Sanat Co.", "10555555555", "در حال ساخت (۴۵٪)", datetime(2025, 1, 1, tzinfo=UTC)),
    Row("d", "صنایع چوب البرز", "", ""),
]


class Model(LazyIdTableModel[Row]):
    def foreground(self, row, column):
        if column.key == "status" and row.status == "راکد":
            return QBrush(WARNING_COLOR)
        return super().foreground(row, column)


def make_model() -> Model:
    by_id = {r.id: r for r in ROWS}
    columns = (
        Column("name", "Name", lambda r: r.name),
        Column("code", "Code", lambda r: r.code),
        Column("status", "Status", lambda r: r.status, align=ALIGN_CENTER),
    )
    model = Model(columns, lambda ids: [by_id[i] for i in ids])
    model.set_ids([r.id for r in ROWS])
    return model


def render(qtbot, model, *, fast: bool, direction: Qt.LayoutDirection, select: int | None = None):
    view = make_table(model)
    qtbot.addWidget(view)
    view.setLayoutDirection(direction)
    delegate = FastTextDelegate(view) if fast else None
    if delegate is not None:
        view.setItemDelegate(delegate)
    view.resize(620, 200)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column, width in enumerate((240, 140, 150)):
        header.resizeSection(column, width)
    view.show()
    qtbot.waitExposed(view)
    if select is not None:
        select_row(view, select)
        view.clearFocus()
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    cells = {(r, c): view.visualRect(model.index(r, c)) for r in range(len(ROWS)) for c in range(3)}
    if delegate is not None:
        assert delegate.cached_texts() > 0  # it did paint the cells itself
    return image, cells


def ink(image: QImage, rect: QRect) -> tuple[QRect | None, QColor | None]:
    """Where the text of a cell is (its bounding box) and its darkest colour."""
    inner = rect.adjusted(1, 1, -2, -2)  # not the grid lines
    background = image.pixel(inner.left(), inner.top())
    xs, ys, darkest = [], [], None
    for y in range(inner.top(), inner.bottom() + 1):
        for x in range(inner.left(), inner.right() + 1):
            pixel = image.pixel(x, y)
            if pixel != background:
                xs.append(x)
                ys.append(y)
                color = QColor(pixel)
                if darkest is None or color.lightness() < darkest.lightness():
                    darkest = color
    if not xs:
        return None, None
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1), darkest


@pytest.mark.parametrize("direction", [Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight])
def test_cells_are_painted_where_and_as_qt_paints_them(qtbot, direction):
    model = make_model()
    qt_image, cells = render(qtbot, model, fast=False, direction=direction)
    fast_image, fast_cells = render(qtbot, make_model(), fast=True, direction=direction)
    assert cells == fast_cells
    for (row, column), rect in cells.items():
        qt_box, qt_color = ink(qt_image, rect)
        box, color = ink(fast_image, rect)
        where = f"row {row}, column {column}"
        if qt_box is None:
            assert box is None, where  # an empty cell stays empty
            continue
        assert box is not None, where
        # Same place (alignment, elision, vertical centre) give or take antialiasing at the edges.
        assert abs(box.left() - qt_box.left()) <= 2 and abs(box.right() - qt_box.right()) <= 2, where
        assert abs(box.top() - qt_box.top()) <= 1 and abs(box.bottom() - qt_box.bottom()) <= 1, where
        # Same colour: the model's foreground (grey for a deleted row, red for a warning) or the text colour.
        assert max(abs(color.red() - qt_color.red()), abs(color.green() - qt_color.green()),
                   abs(color.blue() - qt_color.blue())) <= 40, where  # fmt: skip
    elided = cells[(1, 0)]
    assert ink(fast_image, elided)[0].width() <= elided.width() - 4  # cut short, not spilling over
    deleted = ink(fast_image, cells[(2, 0)])[1]
    assert abs(deleted.red() - DELETED_COLOR.red()) <= 40 and deleted.red() == deleted.blue()


def test_a_selected_row_is_painted_by_qt_itself(qtbot):
    qt_image, cells = render(
        qtbot, make_model(), fast=False, direction=Qt.LayoutDirection.RightToLeft, select=1
    )
    fast_image, _ = render(qtbot, make_model(), fast=True, direction=Qt.LayoutDirection.RightToLeft, select=1)
    for column in range(3):
        rect = cells[(1, column)]
        assert qt_image.copy(rect) == fast_image.copy(rect)


def test_cell_role_is_the_display_alignment_and_foreground(qtmodeltester):
    model = make_model()
    qtmodeltester.check(model, force_py=True)
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text, alignment, color = index.data(CELL_ROLE)
            assert text == index.data(Qt.ItemDataRole.DisplayRole)
            assert alignment == index.data(Qt.ItemDataRole.TextAlignmentRole)
            brush = index.data(Qt.ItemDataRole.ForegroundRole)
            assert color == (None if brush is None else brush.color())
    assert model.index(1, 2).data(CELL_ROLE)[2] == WARNING_COLOR


def test_laid_out_texts_are_kept_within_bounds(qtbot, monkeypatch):
    monkeypatch.setattr(text_delegate, "CACHE_SIZE", 5)
    model = make_model()
    view = make_table(model)
    qtbot.addWidget(view)
    delegate = FastTextDelegate(view)
    view.setItemDelegate(delegate)
    view.resize(620, 200)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().grab()
    assert delegate.cached_texts() == 5  # of the 11 texts shown
