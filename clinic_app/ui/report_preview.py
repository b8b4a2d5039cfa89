"""Preview a PDF report inside the program, print it on a real printer, or save a copy.

QtPdf is not in the PySide6 wheels, so pages are rasterised with PDFium (``pypdfium2``): lazily, only the
pages on screen, on an ``Operations`` read worker, at the zoom and the screen's pixel ratio. PDFium must
never run on two threads of one process at once (not even for two documents), so every call into it holds
``PDFIUM_LOCK`` and closes what it opened before letting go (nothing is left for the garbage collector to
free on some other thread).

Printing paints one page image after another onto the ``QPrinter`` on the GUI thread (a painter on a
printer belongs to that thread); the next page is rasterised on the worker while the current one is
painted. Pages are rendered at the printer's resolution, up to ``PRINT_MAX_DPI`` (an A4 page at 1200 dpi
would be half a gigabyte), in grey when the printer is set to grey.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPalette, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.persian import format_case_number, to_persian_digits
from clinic_app.ui import file_dialogs
from clinic_app.ui.messages import show_box
from clinic_app.ui.operations import OperationHandle, Operations, TaskState
from clinic_app.ui.widgets.common import fit_to_screen

if TYPE_CHECKING:
    from clinic_app.ui.context import UiContext

log = logging.getLogger("clinic.report")

PDFIUM_LOCK = threading.Lock()
PRINT_MAX_DPI = 300
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
PAGE_GAP = 12  # pixels between pages and around them
PAGES_PER_JOB = 3  # pages rasterised per worker job: the first visible one is on screen quickly
KEEP_AROUND = 3  # page images kept beyond the visible ones; the rest are dropped to bound memory


# ----------------------------------------------------------------------------------------- PDFium


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    """(width, height) of every page in points."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            return [doc.get_page_size(i) for i in range(len(doc))]
        finally:
            doc.close()


def render_pages(
    data: bytes, pages: Sequence[tuple[int, float]], *, rotate: int = 0, grey: bool = False
) -> list[tuple[int, QImage]]:
    """Rasterise (page index, pixels per point) pairs to detached QImages (safe off the GUI thread)."""
    import pypdfium2 as pdfium

    out = []
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            for index, scale in pages:
                page = doc[index]
                try:
                    bitmap = page.render(scale=scale, rotation=rotate, rev_byteorder=True, grayscale=grey)
                    try:
                        fmt = QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB888
                        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt)
                        out.append((index, image.copy()))  # copy: the buffer dies with the bitmap
                    finally:
                        bitmap.close()
                finally:
                    page.close()
        finally:
            doc.close()
    return out


# ----------------------------------------------------------------------------------------- the view


class PagesCanvas(QWidget):
    """All pages one under the other, painted from the images at hand (a blank page while one is missing).

    One widget however many pages (a merged batch can have thousands): only the visible ones are painted.
    """

    def __init__(self, sizes: list[tuple[float, float]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sizes = sizes
        self.px_per_pt = 1.0
        self.images: dict[int, QImage] = {}
        self.failed: set[int] = set()
        self._tops: list[int] = []
        self._rects: list[QRect] = []
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#8a939b"))
        self.setPalette(palette)
        self.relayout()

    def set_scale(self, px_per_pt: float) -> None:
        self.px_per_pt = px_per_pt
        self.relayout()

    def relayout(self) -> None:
        widest = max((w for w, _h in self.sizes), default=0) * self.px_per_pt
        y = PAGE_GAP
        self._rects, self._tops = [], []
        for w, h in self.sizes:
            pw, ph = round(w * self.px_per_pt), round(h * self.px_per_pt)
            x = PAGE_GAP + round((widest - pw) / 2)
            self._rects.append(QRect(x, y, pw, ph))
            self._tops.append(y)
            y += ph + PAGE_GAP
        self.setFixedSize(QSize(round(widest) + 2 * PAGE_GAP, max(y, 2 * PAGE_GAP)))
        self.update()

    def page_rect(self, index: int) -> QRect:
        return self._rects[index]

    def pages_in(self, top: int, bottom: int) -> range:
        """Indices of the pages that overlap the band [top, bottom)."""
        if not self._rects:
            return range(0)
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        if self._rects[first].bottom() < top and first + 1 < len(self._rects):
            first += 1
        last = max(first, bisect.bisect_left(self._tops, bottom) - 1)
        return range(first, min(last, len(self._rects) - 1) + 1)

    def target_width(self, index: int) -> int:
        """The width in device pixels a sharp image of this page has at the current zoom."""
        return max(1, round(self._rects[index].width() * self.devicePixelRatioF()))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        clip = event.rect()
        for index in self.pages_in(clip.top(), clip.bottom() + 1):
            rect = self._rects[index]
            painter.fillRect(rect.translated(3, 3), QColor(0, 0, 0, 60))
            painter.fillRect(rect, Qt.GlobalColor.white)
            image = self.images.get(index)
            if image is not None:
                painter.drawImage(rect, image)
            else:
                painter.setPen(QColor("#b00020") if index in self.failed else QColor("#9e9e9e"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, to_persian_digits(index + 1))
        painter.end()


@dataclass
class _PrintJob:
    printer: QPrinter
    painter: QPainter
    sequence: list[int]  # page indices in print order, copies included
    dpi: int
    rotate: dict[int, int]
    grey: bool
    position: int = 0
    image: tuple[int, QImage] | None = None  # the last page image, reused for uncollated copies
    cancelled: bool = False
    progress: QProgressDialog | None = None


class ReportPreviewDialog(QDialog):
    """A PDF shown page by page, to zoom, print or save as a file.

    ``pdf`` is the file's path or its bytes. ``ops`` runs the rendering (the window's ``ctx.ops``); without
    it the dialog has an ``Operations`` of its own.

    Signals:
        pages_rendered(): page images arrived and are on screen (tests wait for it).
        saved(str): a copy of the PDF was written to this path.
        printed(int): this many pages went to the printer.
        print_cancelled(): printing was cancelled.
        print_failed(str): printing stopped on an error (the message).
    """

    pages_rendered = Signal()
    saved = Signal(str)
    printed = Signal(int)
    print_cancelled = Signal()
    print_failed = Signal(str)

    def __init__(
        self,
        pdf: str | Path | bytes,
        title: str = "",
        parent: QWidget | None = None,
        *,
        ops: Operations | None = None,
        file_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("report_preview")
        self.setWindowTitle(title or self.tr("Report preview"))
        self.file_name = file_name or "report.pdf"
        self._own_ops = ops is None
        self.ops = ops if ops is not None else Operations(self)
        self._closed = False
        self._rendering = False
        self._fit_width = True
        self.zoom = 1.0
        self._zoom_applied = False
        self.printer: QPrinter | None = None
        self.print_job: _PrintJob | None = None
        self.save_dialog: QFileDialog | None = None
        self.print_dialog: QPrintDialog | None = None
        self.error: str | None = None

        self.data, self.sizes = self._load(pdf)
        self.canvas = PagesCanvas(self.sizes)
        self.canvas.setObjectName("pages")
        self.scroll = QScrollArea()
        self.scroll.setObjectName("page_area")
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll.setBackgroundRole(QPalette.ColorRole.Dark)
        if self.error:
            message = QLabel(self.error)
            message.setObjectName("preview_error")
            message.setWordWrap(True)
            message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.scroll.setWidgetResizable(True)
            self.scroll.setWidget(message)
            self.canvas.setParent(self)  # owned, never shown
            self.canvas.hide()
        else:
            self.scroll.setWidget(self.canvas)
        self.scroll.verticalScrollBar().valueChanged.connect(self._view_moved)
        self.scroll.horizontalScrollBar().valueChanged.connect(self._view_moved)
        self.scroll.viewport().installEventFilter(self)

        self.zoom_out_button = self._tool_button(
            self.tr("Zoom out"), "zoom_out", QKeySequence.StandardKey.ZoomOut
        )
        self.zoom_out_button.setText("−")
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("zoom_label")
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = self._tool_button(
            self.tr("Zoom in"), "zoom_in", QKeySequence.StandardKey.ZoomIn
        )
        self.zoom_in_button.setText("+")
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button = self._tool_button(self.tr("Fit width"), "fit_width", QKeySequence("Ctrl+0"))
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.toggled.connect(self.set_fit_width)
        self.page_label = QLabel()
        self.page_label.setObjectName("page_label")
        top = QHBoxLayout()
        top.addWidget(self.zoom_out_button)
        top.addWidget(self.zoom_label)
        top.addWidget(self.zoom_in_button)
        top.addWidget(self.fit_button)
        top.addStretch(1)
        top.addWidget(self.page_label)

        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("print")
        self.print_button.setToolTip(
            QKeySequence(QKeySequence.StandardKey.Print).toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("&Save as PDF…"))
        self.save_button.setObjectName("save_pdf")
        self.save_button.clicked.connect(self.save_as)
        self.status = QLabel()
        self.status.setObjectName("preview_status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close_button = QPushButton(self.tr("&Close"))
        close_button.setObjectName("close")
        close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close_button)
        self.print_button.setEnabled(not self.error)
        self.save_button.setEnabled(bool(self.data) and not self.error)
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            button.setEnabled(not self.error)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_as)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(15)  # a burst of scroll events asks for one render
        self._render_timer.timeout.connect(self._render_visible)
        fit_to_screen(self, 900, 1000)
        self._update_labels()

    # ------------------------------------------------------------------------------- building

    def _tool_button(self, tip: str, name: str, keys) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        shortcut = QKeySequence(keys)
        text = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{tip} ({text})" if text else tip)
        button.setText(tip)
        button.setAutoRaise(True)
        QShortcut(shortcut, self, activated=button.click)
        return button

    def _load(self, pdf: str | Path | bytes) -> tuple[bytes, list[tuple[float, float]]]:
        if isinstance(pdf, bytes | bytearray | memoryview):
            data = bytes(pdf)
        else:
            try:
                data = Path(pdf).read_bytes()
            except OSError as exc:
                self.error = self.tr("The report file could not be read: %1").replace(
                    "%1", f"\u2068{pdf}\u2069 ({exc.strerror})"
                )
                return b"", []
        try:
            sizes = page_sizes(data)
        except Exception as exc:  # PdfiumError: not a PDF, or a damaged one
            log.warning("cannot show PDF: %s", exc)
            self.error = self.tr("This file is not a PDF that can be shown.")
            return data, []
        if not sizes:
            self.error = self.tr("The report has no pages.")
        return data, sizes

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    # ------------------------------------------------------------------------------- zoom

    def _screen_px_per_pt(self) -> float:
        return self.logicalDpiX() / 72.0

    def _fit_zoom(self) -> float:
        if not self.sizes:
            return 1.0
        widest = max(w for w, _h in self.sizes) * self._screen_px_per_pt()
        # The viewport without a vertical scroll bar can be wider than with one: leave room for it.
        available = self.scroll.viewport().width() - 2 * PAGE_GAP
        if not self.scroll.verticalScrollBar().isVisible():
            available -= self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        return max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], available / widest))

    def set_zoom(self, zoom: float) -> None:
        """Show the pages at ``zoom`` (1.0: printed size on a screen of the system's DPI)."""
        zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], zoom))
        if abs(zoom - self.zoom) < 1e-6 and self._zoom_applied:
            return
        self._zoom_applied = True
        # Keep the same spot of the document at the top of the view.
        bar = self.scroll.verticalScrollBar()
        fraction = bar.value() / max(1, self.canvas.height())
        self.zoom = zoom
        self.canvas.set_scale(zoom * self._screen_px_per_pt())
        bar.setValue(round(fraction * self.canvas.height()))
        self._update_labels()
        self._schedule_render()

    def zoom_in(self) -> None:
        self.fit_button.setChecked(False)
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoom * 1.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.fit_button.setChecked(False)
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self.zoom * 0.99), ZOOM_STEPS[0]))

    def set_fit_width(self, on: bool) -> None:
        self._fit_width = on
        if on:
            self.set_zoom(self._fit_zoom())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_width and not self.error:
            QTimer.singleShot(
                0, lambda: self._fit_width and not self._closed and self.set_zoom(self._fit_zoom())
            )
        self._schedule_render()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fit_width and not self.error:
            self.set_zoom(self._fit_zoom())
        self._schedule_render()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and not self.error
        ):
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------------------- where we are

    def visible_pages(self) -> range:
        if self.error:
            return range(0)
        top = self.scroll.verticalScrollBar().value()
        return self.canvas.pages_in(top, top + max(1, self.scroll.viewport().height()))

    def current_page(self) -> int:
        """The page (1-based) at the middle of the view."""
        if not self.sizes:
            return 0
        middle = self.scroll.verticalScrollBar().value() + self.scroll.viewport().height() // 2
        pages = self.canvas.pages_in(middle, middle + 1)
        return (pages[0] if pages else 0) + 1

    def go_to_page(self, page: int) -> None:
        """Scroll so that ``page`` (1-based) starts at the top of the view."""
        if self.sizes:
            index = max(0, min(page, self.page_count) - 1)
            self.scroll.verticalScrollBar().setValue(self.canvas.page_rect(index).top() - PAGE_GAP)

    def _view_moved(self, _value: int) -> None:
        self._update_labels()
        self._schedule_render()

    def _update_labels(self) -> None:
        if not self.sizes:
            self.page_label.setText("")
            self.zoom_label.setText("")
            return
        self.page_label.setText(
            self.tr("Page %1 of %2")
            .replace("%1", to_persian_digits(self.current_page()))
            .replace("%2", to_persian_digits(self.page_count))
        )
        self.zoom_label.setText(to_persian_digits(round(self.zoom * 100)) + "٪")

    # ------------------------------------------------------------------------------- rendering

    def _schedule_render(self) -> None:
        if not self.error and not self._closed:
            self._render_timer.start()

    def _wanted(self) -> list[int]:
        visible = self.visible_pages()
        if not visible:
            return []
        around = [visible.stop, visible.start - 1]  # the next page first: people read downwards
        order = [*visible, *(i for i in around if 0 <= i < self.page_count)]
        images = self.canvas.images
        return [
            i
            for i in order
            if i not in self.canvas.failed
            and (i not in images or images[i].width() != self.canvas.target_width(i))
        ]

    def _render_visible(self) -> None:
        if self._closed or self.error:
            return
        if self._rendering:
            return  # asked again when the job in progress comes back
        wanted = self._wanted()[:PAGES_PER_JOB]
        if not wanted:
            self._drop_far_images()
            return
        jobs = [(i, self.canvas.target_width(i) / self.sizes[i][0]) for i in wanted]
        dpr = self.canvas.devicePixelRatioF()
        data = self.data
        self._rendering = True

        def work(_state: TaskState) -> list[tuple[int, QImage]]:
            return render_pages(data, jobs)

        self.ops.run(
            work,
            on_done=lambda images: self._rendered(images, dpr),
            on_error=lambda exc: self._render_failed(wanted, exc),
            kind="read",
            progress=False,
            title=self.tr("Showing the report"),
        )

    def _rendered(self, images: list[tuple[int, QImage]], dpr: float) -> None:
        self._rendering = False
        if self._closed:
            return
        for index, image in images:
            image.setDevicePixelRatio(dpr)
            self.canvas.images[index] = image
        self._drop_far_images()
        self.canvas.update()
        self.pages_rendered.emit()
        self._render_visible()

    def _render_failed(self, pages: list[int], exc: BaseException) -> None:
        self._rendering = False
        log.error("rendering pages %s failed", pages, exc_info=exc)
        if self._closed:
            return
        self.canvas.failed.update(pages)
        self.canvas.update()
        self._render_visible()

    def _drop_far_images(self) -> None:
        visible = self.visible_pages()
        if not visible:
            return
        keep = range(visible.start - KEEP_AROUND, visible.stop + KEEP_AROUND)
        for index in [i for i in self.canvas.images if i not in keep]:
            del self.canvas.images[index]

    # ------------------------------------------------------------------------------- saving

    def save_as(self) -> None:
        """Ask where to save a copy of the PDF (the dialog is in ``save_dialog`` while it is open)."""
        if not self.data or self.error:
            return
        dialog = file_dialogs.make_dialog(
            self,
            self.tr("Save the report as"),
            mode="save",
            start=file_dialogs.documents_dir() / self.file_name,
            filters=self.tr("PDF files (*.pdf)"),
            default_suffix="pdf",
            name="save_dialog",
        )
        dialog.finished.connect(lambda _r: setattr(self, "save_dialog", None))
        self.save_dialog = dialog
        file_dialogs.ask(dialog, lambda paths: self.save_to(paths[0]) if paths else None)

    def save_to(self, path: str | Path) -> bool:
        """Write the PDF's bytes, exactly as they are, to ``path``."""
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            target.write_bytes(self.data)
        except OSError as exc:
            show_box(
                QMessageBox.Icon.Warning,
                self.tr("Not saved"),
                self.tr("The report could not be saved to %1.").replace("%1", f"\u2068{target}\u2069")
                + f"\n{exc.strerror}",
                parent=self,
                name="save_error",
            )
            return False
        self.status.setText(self.tr("Saved: %1").replace("%1", f"\u2068{target}\u2069"))
        self.saved.emit(str(target))
        return True

    # ------------------------------------------------------------------------------- printing

    def make_printer(self) -> QPrinter:
        """The printer used by ``print_document``, kept so a second print keeps the person's choices."""
        if self.printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setFullPage(True)  # the report has its own margins: print the page as it is
            printer.setDocName(self.windowTitle())
            if self.sizes:
                w, h = self.sizes[0]
                size = QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Point, "",
                                 QPageSize.SizeMatchPolicy.FuzzyMatch)  # fmt: skip
                printer.setPageSize(size)
                printer.setPageOrientation(
                    QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
                )
            self.printer = printer
        return self.printer

    def print_document(self) -> None:
        """Ask which printer, pages and copies (``print_dialog`` while it is open), then print."""
        if self.error or self.print_job is not None:
            return
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("print_dialog")
        dialog.setWindowTitle(self.tr("Print the report"))
        options = QAbstractPrintDialog.PrintDialogOption
        for option in (options.PrintPageRange, options.PrintCurrentPage, options.PrintCollateCopies,
                       options.PrintToFile):  # fmt: skip
            dialog.setOption(option, True)
        dialog.setOption(options.PrintSelection, False)
        dialog.setMinMax(1, self.page_count)
        dialog.setFromTo(1, self.page_count)
        dialog.finished.connect(lambda result: self._print_dialog_closed(printer, result))
        self.print_dialog = dialog
        # show(), not exec(): no nested event loop here (QPrintDialog.open() wants a slot by name; on
        # Windows show() opens the native dialog modally and reports through ``finished`` all the same).
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _print_dialog_closed(self, printer: QPrinter, result: int) -> None:
        self.print_dialog = None
        if result == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def pages_to_print(self, printer: QPrinter) -> list[int]:
        """Page indices in print order: the chosen range, and the copies Qt leaves to the program."""
        n = self.page_count
        kind = printer.printRange()
        if kind == QPrinter.PrintRange.CurrentPage:
            pages = [self.current_page() - 1]
        elif kind == QPrinter.PrintRange.PageRange:
            ranges = printer.pageRanges()
            if ranges.isEmpty():
                first, last = printer.fromPage() or 1, printer.toPage() or n
                pages = list(range(max(1, first) - 1, min(last, n)))
            else:
                pages = [i for i in range(n) if ranges.contains(i + 1)]
        else:
            pages = list(range(n))
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if copies == 1:
            return pages
        if printer.collateCopies():
            return pages * copies
        return [p for p in pages for _ in range(copies)]

    def print_to(self, printer: QPrinter) -> bool:
        """Print on ``printer`` as it is set up (range, copies, colour); False if it could not start.

        The pages go out one by one while the event loop runs; ``printed``, ``print_cancelled`` or
        ``print_failed`` tells how it ended.
        """
        if self.error or self.print_job is not None:
            return False
        sequence = self.pages_to_print(printer)
        if not sequence:
            self._print_error(self.tr("There is no page to print in the range you chose."))
            return False
        painter = QPainter()
        if not painter.begin(printer):
            self._print_error(self.tr("The printer could not be started. Check that it is on and ready."))
            return False
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        paper = printer.pageLayout().fullRectPoints()
        paper_landscape = paper.width() > paper.height()
        rotate = {
            i: 90 for i in set(sequence) if (self.sizes[i][0] > self.sizes[i][1]) != paper_landscape
        }  # a landscape page on portrait paper (or the other way round) is turned to fill it
        dpi = min(printer.resolution(), PRINT_MAX_DPI)
        grey = printer.colorMode() == QPrinter.ColorMode.GrayScale
        self.print_job = _PrintJob(printer, painter, sequence, dpi, rotate, grey)
        self.print_button.setEnabled(False)
        QTimer.singleShot(500, self._show_print_progress)
        self._render_for_print(0)
        return True

    def _show_print_progress(self) -> None:
        job = self.print_job
        if job is None or job.progress is not None:
            return
        dialog = QProgressDialog(self)
        dialog.setObjectName("print_progress")
        dialog.setWindowTitle(self.tr("Printing"))
        dialog.setCancelButtonText(self.tr("Cancel"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMaximum(len(job.sequence))
        dialog.canceled.connect(self.cancel_printing)
        job.progress = dialog
        self._print_progress()
        dialog.show()

    def _print_progress(self) -> None:
        job = self.print_job
        if job is not None and job.progress is not None:
            job.progress.setValue(job.position)
            job.progress.setLabelText(
                self.tr("Printing page %1 of %2")
                .replace("%1", to_persian_digits(min(job.position + 1, len(job.sequence))))
                .replace("%2", to_persian_digits(len(job.sequence)))
            )

    def cancel_printing(self) -> None:
        """Stop after the page being painted; what the printer already has may still come out."""
        if self.print_job is not None:
            self.print_job.cancelled = True

    def _render_for_print(self, position: int) -> None:
        job = self.print_job
        assert job is not None
        index = job.sequence[position]
        if job.image is not None and job.image[0] == index:  # the next copy of the same page
            image = job.image[1]
            QTimer.singleShot(0, lambda: self._print_page(position, image))
            return
        data, scale, rotate, grey = self.data, job.dpi / 72.0, job.rotate.get(index, 0), job.grey

        def work(_state: TaskState) -> QImage:
            return render_pages(data, [(index, scale)], rotate=rotate, grey=grey)[0][1]

        self.ops.run(
            work,
            on_done=lambda image: self._print_page(position, image),
            on_error=self._print_render_failed,
            kind="read",
            progress=False,
            title=self.tr("Printing"),
        )

    def _print_page(self, position: int, image: QImage) -> None:
        job = self.print_job
        if job is None:
            return
        if job.cancelled:
            self._end_print("cancelled")
            return
        job.image = (job.sequence[position], image)
        if position + 1 < len(job.sequence):
            self._render_for_print(position + 1)  # the worker rasterises the next page while we paint
        if position > 0 and not job.printer.newPage():
            self._end_print("failed", self.tr("The printer stopped taking pages."))
            return
        area = job.printer.pageLayout().fullRectPixels(job.printer.resolution())
        scale = min(area.width() / image.width(), area.height() / image.height())
        w, h = round(image.width() * scale), round(image.height() * scale)
        target = QRect(
            QPoint(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2), QSize(w, h)
        )
        job.painter.drawImage(target, image)
        job.position = position + 1
        self._print_progress()
        if job.position == len(job.sequence):
            self._end_print("done")

    def _print_render_failed(self, exc: BaseException) -> None:
        log.error("rendering a page for the printer failed", exc_info=exc)
        self._end_print("failed", self.tr("A page of the report could not be prepared for printing."))

    def _end_print(self, outcome: str, message: str = "") -> None:
        job = self.print_job
        if job is None:
            return
        self.print_job = None
        if outcome != "done":
            job.printer.abort()
        job.painter.end()
        if job.progress is not None:
            job.progress.canceled.disconnect()
            job.progress.close()
            job.progress.deleteLater()
        if self._closed:
            return
        self.print_button.setEnabled(True)
        if outcome == "done":
            self.status.setText(
                self.tr("Sent %1 pages to the printer.").replace("%1", to_persian_digits(job.position))
            )
            self.printed.emit(job.position)
        elif outcome == "cancelled":
            self.status.setText(self.tr("Printing was cancelled."))
            self.print_cancelled.emit()
        else:
            self._print_error(message)

    def _print_error(self, message: str) -> None:
        self.status.setText(message)
        show_box(QMessageBox.Icon.Warning, self.tr("Not printed"), message, parent=self, name="print_error")
        self.print_failed.emit(message)

    # ------------------------------------------------------------------------------- closing

    def done(self, result: int) -> None:
        self._closed = True
        if self.print_job is not None:
            self.print_job.cancelled = True
            self._end_print("cancelled")
        self._render_timer.stop()
        self.canvas.images.clear()
        if self._own_ops:
            self.ops.shutdown(wait=True)
        super().done(result)


def preview_case_report(
    ctx: UiContext, case_ref: str, parent: QWidget | None = None, *, number: str | None = None
) -> OperationHandle:
    """Make the case report of ``case_ref`` (id or number) in a read worker, then show it in the preview.

    A case that is not there comes back as the service's Persian message (``ctx.ops``' default handler).
    """
    from clinic_app.services.reports.batch import file_stem

    def work(_state: TaskState) -> bytes:
        from clinic_app.services.reports.case_report import case_report

        data = case_report(ctx.uow(), case_ref, None).data
        assert data is not None
        return data

    def show(data: bytes) -> None:
        shown = format_case_number(number)
        title = (
            QCoreApplication.translate("ReportPreviewDialog", "Case report %1").replace("%1", shown).strip()
        )
        dialog = ReportPreviewDialog(
            data, title, parent, ops=ctx.ops, file_name=f"{file_stem(number, case_ref)}.pdf"
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    return ctx.ops.run(
        work,
        on_done=show,
        kind="read",
        title=QCoreApplication.translate("ReportPreviewDialog", "Making the case report"),
    )
