"""The dashboard's bar charts at the park office screen: every bar's name is drawn, never "…" (Qt Charts
elides all the names once they overlap: six consultants did in a 1366x768 window)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from clinic_app.services.dashboard import ConsultantLoad
from clinic_app.ui.dashboard import LoadChart, StatusChart

NAMES = ["کاظم کشاورز", "فاطمه وکیلی", "سامان محبی", "مهران توکلی", "معصومه پیرزاده", "وحید عسگری", "آتنا شاکری",
         "جواد پهلوان", "زهرا موسوی", "علی رضایی", "مریم احمدی", "رضا کریمی"]  # fmt: skip


def ink_per_row(chart_widget, rows: int) -> list[int]:
    """Dark pixels in each bar's band beside the plot area, where its name is drawn."""
    QApplication.processEvents()
    image = chart_widget.grab().toImage()
    area = chart_widget.chart.plotArea()
    step = area.height() / rows
    counts = []
    for row in range(rows):
        top, bottom = int(area.top() + row * step), int(area.top() + (row + 1) * step)
        counts.append(
            sum(
                1
                for x in range(int(area.right()) + 4, image.width() - 4)
                for y in range(top, bottom)
                if image.pixelColor(x, y).lightness() < 110
            )
        )
    return counts


@pytest.mark.parametrize("consultants", [6, 10, 12])
@pytest.mark.parametrize("height", [230, 260, 320])
def test_every_consultant_shown_has_its_name_drawn(qtbot, shell_app, consultants, height):
    chart = LoadChart("پرونده‌های باز هر مشاور")
    qtbot.addWidget(chart)
    chart.resize(520, height)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_loads([ConsultantLoad(f"c{i}", NAMES[i], 30 - i, 1) for i in range(consultants)])
    shown = chart.bar_count()
    assert shown >= min(consultants, 5)  # the busiest, as many as have room
    ink = ink_per_row(chart, shown)
    assert min(ink) > 20, f"a name is elided: {ink}"


def test_the_status_names_are_drawn(qtbot, shell_app):
    chart = StatusChart("پرونده‌های باز بر پایهٔ وضعیت")
    qtbot.addWidget(chart)
    chart.resize(520, 230)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_counts({"intake": 2, "diagnosis": 9, "planning": 6, "implementation": 22, "suspended": 3})
    assert min(ink_per_row(chart, 5)) > 20
