"""The Qt binding keeps Python's reference counts straight (PySide6 6.12.0 does not).

PySide6 6.12.0 drops a reference to ``True`` on every ``Signal.emit()`` and one to ``None`` on every call of
a Python slot from a C++ signal. Python 3.11's ``True`` and ``None`` are ordinary objects: after a few
thousand signals the count reaches zero and the process aborts ("Fatal Python error: bool_dealloc"), in the
middle of the program or at exit. 6.11.2 is fine. This test names the cause when that happens again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QToolButton


class _Emitter(QObject):
    number = Signal(int)


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)


def _lost(before: tuple[int, ...], after: tuple[int, ...]) -> dict[str, int]:
    """References lost per object; gains (caches, the values a slot kept) are fine, losses never are."""
    return {name: b - a for name, b, a in zip(("True", "False", "None"), before, after, strict=True) if a < b}


def test_emitting_a_signal_keeps_the_reference_counts(qapp):
    emitter = _Emitter()
    seen = []
    emitter.number.connect(seen.append)
    before = _counts()
    for i in range(50):
        emitter.number.emit(i)
    assert seen == list(range(50))
    assert _lost(before, _counts()) == {}


def test_a_qt_signal_calling_a_python_slot_keeps_the_reference_counts(qapp):
    button = QToolButton()
    button.setCheckable(True)
    states = []
    button.toggled.connect(lambda on: states.append(on))
    before = _counts()
    for _ in range(50):
        button.toggle()
    assert len(states) == 50
    assert _lost(before, _counts()) == {}
