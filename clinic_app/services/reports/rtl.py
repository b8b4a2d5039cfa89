"""Persian text on paper: shaping, line breaking, per-line bidi, bracket mirroring and copyable text.

ReportLab draws glyphs left to right in the order it is given and does no Arabic shaping we can use
(its own shaping turns bidi off and needs a module that is not on PyPI), so every line we draw is prepared
here, in this order:

1. ``clean_text``: first ``persian.safe_bidi`` (what every output does with text a clinic PC sent), then
   bidi control characters (LRM, RLM, embeddings, overrides, ALM, stray isolates),
   zero-width spaces and BOMs are removed: pasted text carries them and they would fight the bidi pass
   below. A balanced isolate (LRI/RLI/FSI ... PDI on one line) is kept: it only keeps a run together, and
   ``ltr()`` uses it to keep a case number such as «۱۴۰۳-۰۰۱۲» in order inside a Persian sentence. Emoji
   and other pictographs (and their variation selectors and the ZWJ that glues emoji sequences) are
   DROPPED: the embedded font has no glyphs for them and a box in an official report helps nobody. Any
   other character the font cannot draw (a letter of a script Vazirmatn lacks) becomes ``?`` so a reader
   can see that something was there. ZWNJ (نیم‌فاصله) and ZWJ between letters are kept.
2. ``wrap``: lines are broken in LOGICAL order, measuring each word in its shaped form with the real
   font. Breaking after bidi would put a paragraph's lines in reverse order, the classic bug. A word wider
   than the line (a long name or URL without spaces) is cut between characters, never overflowing.
3. ``visual``: each line is shaped with arabic-reshaper (configured from the font's own cmap: diacritics
   kept, lam-alef ligatures on, the «الله» ligature off), then reordered by the Unicode bidi algorithm
   (python-bidi) with a right-to-left base (left-to-right for a line without a single Persian letter, so
   «Pars Co. (Ltd.)» keeps its punctuation), one line at a time. python-bidi 0.6 does not mirror
   brackets, so characters that end up at a right-to-left level are mirrored here, from the resolved
   levels, and drawn through private-use codes (see ``MIRROR_PUA``) so they still copy out unmirrored.
   Combining marks (fatha, shadda, ...) are left where the reversal puts them, just before their letter
   in drawing order: Vazirmatn's zero-width mark glyphs reach over the glyph drawn after them (checked
   by eye on rendered pages; ``tests/reports`` pins the order).
4. ``ExtractableTTFont``: ReportLab's ToUnicode map sends each glyph to the code point it was looked up by,
   so shaped text would copy out as presentation forms (U+FExx). This font class rewrites the map so that
   every presentation form maps back to its base letter(s): ``pdftotext`` and copy-paste give real Persian.
   (Extractors undo the visual order character by character, so a ligature's letters are mapped in
   visual order; see ``_text_of_glyph``.)
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import unicodedata

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LETTERS_LIGATURES, SENTENCES_LIGATURES, WORDS_LIGATURES
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from clinic_app import resources
from clinic_app.core.persian import ltr as ltr  # one isolate helper for screen and paper
from clinic_app.core.persian import safe_bidi

__all__ = [
    "FONT_BOLD",
    "FONT_MEDIUM",
    "FONT_REGULAR",
    "ExtractableTTFont",
    "clean_text",
    "measure",
    "register_fonts",
    "shape",
    "split_paragraphs",
    "visual",
    "wrap",
]

FONT_REGULAR = "Vazirmatn"
FONT_MEDIUM = "Vazirmatn-Medium"
FONT_BOLD = "Vazirmatn-Bold"
_FONT_FILES = {
    FONT_REGULAR: "Vazirmatn-Regular.ttf",
    FONT_MEDIUM: "Vazirmatn-Medium.ttf",
    FONT_BOLD: "Vazirmatn-Bold.ttf",
}

ZWNJ = "\u200c"
ZWJ = "\u200d"

# Removed before anything else: bidi controls, zero-width space, BOM, soft hyphen, word joiner. Isolates
# (LRI, RLI, FSI ... PDI) are handled apart: a balanced pair is kept, a stray one removed.
_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u200b\ufeff\u00ad\u2060"
_STRIP_CONTROLS = str.maketrans(dict.fromkeys(map(ord, _CONTROLS)))
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_ISOLATES = (LRI, RLI, FSI, PDI)
_DROP_ISOLATES = str.maketrans(dict.fromkeys(map(ord, _ISOLATES)))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Bidi_Mirrored pairs that can occur in our text and that the font has glyphs for.
MIRRORS = {
    "(": ")",
    ")": "(",
    "[": "]",
    "]": "[",
    "{": "}",
    "}": "{",
    "<": ">",
    ">": "<",
    "«": "»",
    "»": "«",
    "‹": "›",
    "›": "‹",
    "≤": "≥",
    "≥": "≤",
}
# A character at a right-to-left level is drawn with its mirror's glyph. We draw it through a private-use
# code point that the font maps to the mirror glyph and the text mapping maps back to the character itself,
# so the page shows «(الف)» and copying gives «(الف)», not «)الف(».
MIRROR_PUA = {ch: 0xE000 + i for i, ch in enumerate(MIRRORS)}
_PUA_TO_CHAR = {code: ch for ch, code in MIRROR_PUA.items()}
_TO_MIRRORED = {ch: chr(code) for ch, code in MIRROR_PUA.items()}


# --------------------------------------------------------------------------- fonts


def _text_of_glyph(cp: int) -> str:
    """What a drawn code point stands for in extracted text."""
    if cp in _PUA_TO_CHAR:
        return _PUA_TO_CHAR[cp]
    if not _is_presentation_form(cp):
        return chr(cp)
    base = unicodedata.normalize("NFKC", chr(cp))
    # A ligature (lam-alef) stands for two letters. Text extractors (poppler, pdf.js) turn a right-to-left
    # line back into logical order by reversing it character by character, the ligature's letters included,
    # so they are given here in visual order: «لا» is mapped as «ال» and comes out as «لا».
    return base[::-1] if len(base) > 1 else base


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap giving base letters for presentation forms and mirrored brackets."""
    entries = []
    for code, cp in enumerate(subset):
        text = _text_of_glyph(cp)
        entries.append(f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(entries)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def _is_presentation_form(cp: int) -> bool:
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


class ExtractableTTFont(TTFont):
    """A TrueType font whose PDF text mapping gives base Persian letters for shaped glyphs.

    ReportLab writes one ToUnicode stream per 256-glyph subset, named ``toUnicodeCMap:<subset name>``;
    after it has written them we replace their content. ``tests/reports`` checks the result with pdftotext,
    so a ReportLab release that changes these internals fails loudly instead of printing garbage.
    """

    def __init__(self, name: str, filename: str, **kwargs) -> None:
        super().__init__(name, filename, **kwargs)
        face = self.face
        for ch, code in MIRROR_PUA.items():
            glyph = face.charToGlyph.get(ord(MIRRORS[ch]))
            if glyph is not None:
                face.charToGlyph[code] = glyph
                face.charWidths[code] = face.charWidths[ord(MIRRORS[ch])]

    def addObjects(self, doc) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base_name = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode(
                "pdfdoc"
            )
            stream = doc.idToObject.get("toUnicodeCMap:" + base_name)
            if stream is None:
                raise RuntimeError(f"ReportLab internals changed: no ToUnicode stream for {base_name}")
            stream.content = _to_unicode_cmap(base_name, subset)


_register_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the bundled Vazirmatn weights with ReportLab (once per process)."""
    global _registered
    if _registered:
        return
    with _register_lock:
        if _registered:
            return
        registered = pdfmetrics.getRegisteredFontNames()
        for name, filename in _FONT_FILES.items():
            if name not in registered:
                path = resources.resource_path("fonts", filename)
                pdfmetrics.registerFont(ExtractableTTFont(name, str(path), shapable=False))
        pdfmetrics.registerFontFamily(FONT_REGULAR, normal=FONT_REGULAR, bold=FONT_BOLD)
        _registered = True


# --------------------------------------------------------------------------- shaping


class _FrozenOptions:
    """The reshaper's configuration section, read once: ``get`` and ``getboolean`` from a dict."""

    def __init__(self, section) -> None:
        self._values = {key: section.get(key) for key in section}
        self._booleans = {}
        for key in section:
            with contextlib.suppress(ValueError):  # "language" and friends are not booleans
                self._booleans[key] = section.getboolean(key)

    def get(self, key: str, fallback: object = None) -> object:
        return self._values.get(key.lower(), fallback)

    def getboolean(self, key: str, fallback: bool | None = None) -> bool | None:
        return self._booleans.get(key.lower(), fallback)


class _Shaper:
    """arabic-reshaper configured for one font, plus what that font can draw."""

    def __init__(self, font_name: str) -> None:
        register_fonts()
        font = pdfmetrics.getFont(font_name)
        self.font_name = font_name
        self.cmap = frozenset(c for c in font.face.charToGlyph if not 0xE000 <= c <= 0xF8FF)
        config: dict[str, bool] = {
            "delete_harakat": False,  # a printed report shows what was typed, diacritics included
            "shift_harakat_position": False,
            "support_zwj": True,
            "use_unshaped_instead_of_isolated": False,
            "support_ligatures": True,
        }

        # Only ligatures every form of which the font has; never «الله» (U+FDF2): Persian names such as
        # «عبدالله» and words such as «اللهی» would be drawn as the Arabic word-ligature.
        def has_forms(replacement) -> bool:
            return all(ord(f) in self.cmap for f in replacement[1] if f)

        for group in (SENTENCES_LIGATURES, WORDS_LIGATURES, LETTERS_LIGATURES):
            for name, replacement in group:
                config[name] = group is LETTERS_LIGATURES and has_forms(replacement)
        config["ARABIC LIGATURE ALLAH"] = False
        self.reshaper = ArabicReshaper(configuration=config)
        # reshape() reads six options through configparser on every call, which is most of its cost;
        # the options never change, so answer from a plain dict.
        self.reshaper.configuration = _FrozenOptions(self.reshaper.configuration)
        self.shape = functools.lru_cache(maxsize=65536)(self._shape)
        self.width1 = functools.lru_cache(maxsize=65536)(self._width1)

    def _shape(self, word: str) -> str:
        shaped = self.reshaper.reshape(word)
        if all(ord(c) in self.cmap or c in _ISOLATES for c in shaped):
            return shaped
        out = []
        for c in shaped:
            if ord(c) in self.cmap or c in _ISOLATES:  # isolates steer the bidi pass, then go
                out.append(c)
            else:
                # A positional form the font lacks (Vazirmatn has no isolated ۀ, U+FBA4): fall back to
                # the base letter, which every Persian font draws.
                base = unicodedata.normalize("NFKC", c)
                out.append(base if all(ord(b) in self.cmap for b in base) else "?")
        return "".join(out)

    def _width1(self, word: str) -> float:
        """Width of a word at size 1, in its shaped form (isolate marks are not drawn)."""
        return pdfmetrics.stringWidth(self.shape(word).translate(_DROP_ISOLATES), self.font_name, 1.0)


_shapers: dict[str, _Shaper] = {}
_shapers_lock = threading.Lock()


def _shaper(font_name: str) -> _Shaper:
    s = _shapers.get(font_name)
    if s is None:
        with _shapers_lock:
            s = _shapers.get(font_name)
            if s is None:
                s = _shapers[font_name] = _Shaper(font_name)
    return s


def shape(text: str, font_name: str = FONT_REGULAR) -> str:
    """The shaped (presentation-form) form of logical ``text``; spaces break joining, so per word."""
    sh = _shaper(font_name)
    return " ".join(sh.shape(w) for w in text.split(" "))


# --------------------------------------------------------------------------- cleaning


def _is_emoji_like(ch: str) -> bool:
    cp = ord(ch)
    if 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x1F1E6 <= cp <= 0x1F1FF:
        return True
    if 0xFE00 <= cp <= 0xFE0F or 0xE0020 <= cp <= 0xE007F or cp == 0x20E3:
        return True  # variation selectors, tag characters (flags), keycap
    return unicodedata.category(ch) == "So"


@functools.lru_cache(maxsize=4)
def _supported(font_name: str) -> frozenset[int]:
    return _shaper(font_name).cmap | {0x0A} | {ord(c) for c in _ISOLATES}


def clean_text(text: object, font_name: str = FONT_REGULAR) -> str:
    """Text as it will be drawn: controls stripped, undrawable characters dropped or marked (see module doc).

    Line breaks are kept (as ``\\n``); other whitespace runs become one space; lines are stripped.
    """
    if text is None:
        return ""
    # First what every output does with text a clinic PC may have sent (persian.safe_bidi: no override,
    # no isolate left open), then paper's own stricter rules: no mark at all but one level of isolates.
    s = safe_bidi(str(text).replace("\r\n", "\n").replace("\r", "\n")).translate(_STRIP_CONTROLS)
    if any(c in s for c in _ISOLATES):
        s = _balance_isolates(s)
    supported = _supported(font_name)
    if any(ord(c) not in supported for c in s):
        out = []
        for c in s:
            if ord(c) in supported or c == "\n":
                out.append(c)
            elif c.isspace():
                out.append(" ")
            elif _is_emoji_like(c):
                continue
            elif unicodedata.category(c)[0] in "MC":
                continue  # a mark or control the font cannot draw: nothing to show
            else:
                out.append("?")
        s = "".join(out)
        # A ZWJ left behind by a dropped emoji sequence joins nothing.
        s = re.sub(r"(?<!\w)\u200d|\u200d(?!\w)", "", s)
    lines = [_SPACES.sub(" ", line).strip() for line in s.split("\n")]
    return "\n".join(lines).strip("\n")


def _balance_isolates(s: str) -> str:
    """Keep an isolate opener only with its PDI on the same line (no nesting); drop stray ones."""
    out: list[str] = []
    open_at: int | None = None
    for ch in s:
        if ch in (LRI, RLI, FSI):
            if open_at is not None:
                out.pop(open_at)  # an opener inside an open isolate: drop the earlier, unclosed one
            open_at = len(out)
            out.append(ch)
        elif ch == PDI:
            if open_at is None:
                continue
            if open_at == len(out) - 1:  # an empty isolate
                out.pop()
            else:
                out.append(ch)
            open_at = None
        else:
            if ch == "\n" and open_at is not None:
                out.pop(open_at)
                open_at = None
            out.append(ch)
    if open_at is not None:
        out.pop(open_at)
    return "".join(out)


def split_paragraphs(text: str) -> list[str]:
    """Lines of cleaned text; runs of empty lines become one."""
    return re.sub(r"\n{3,}", "\n\n", text).split("\n") if text else []


# --------------------------------------------------------------------------- measuring and wrapping


def measure(text: str, font_name: str, size: float) -> float:
    """Width of a (clean, single-line) logical text once shaped."""
    sh = _shaper(font_name)
    words = text.split(" ")
    space = sh.width1(" ")
    return size * (sum(sh.width1(w) for w in words) + space * (len(words) - 1))


def _clusters(word: str) -> list[str]:
    """Pieces of a word that must stay together: a base with its marks, ZWNJ and ZWJ."""
    out: list[str] = []
    for ch in word:
        if out and (unicodedata.category(ch)[0] == "M" or ch in (ZWNJ, ZWJ)):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _hard_split(word: str, sh: _Shaper, limit: float) -> list[str]:
    """Cut a word wider than the line into pieces that fit (at least one cluster per piece)."""
    pieces: list[str] = []
    current = ""
    for cluster in _clusters(word):
        candidate = current + cluster
        if current and sh.width1(candidate) > limit:
            pieces.append(current)
            current = cluster
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, font_name: str, size: float, width: float) -> list[str]:
    """Logical lines of clean ``text`` that each fit ``width`` points when drawn at ``size``.

    Greedy, in logical order; explicit line breaks are kept (an empty paragraph gives an empty line).
    """
    sh = _shaper(font_name)
    limit = width / size
    space = sh.width1(" ")
    lines: list[str] = []
    for para in split_paragraphs(text):
        if not para:
            lines.append("")
            continue
        current: list[str] = []
        current_w = 0.0
        for word in para.split(" "):
            w = sh.width1(word)
            if current and current_w + space + w <= limit:
                current.append(word)
                current_w += space + w
                continue
            if current:
                lines.append(" ".join(current))
            if w <= limit:
                current, current_w = [word], w
            else:
                pieces = _hard_split(word, sh, limit)
                lines.extend(pieces[:-1])
                current, current_w = [pieces[-1]], sh.width1(pieces[-1])
        if current:
            lines.append(" ".join(current))
    return lines


# --------------------------------------------------------------------------- bidi


_LEVELS = re.compile(r"levels:\s*\[(.*?)\]", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+)")


def _levels(text: str, base: str) -> list[int] | None:
    """Resolved embedding level of each character, from python-bidi's debug output (per UTF-8 byte).

    python-bidi 0.6 returns levels only as its debug text; ``tests/reports`` pins the format, and when
    it cannot be read we fall back to the unmirrored display string rather than fail.
    """
    debug = get_display(text, base_dir=base, debug=True)
    match = _LEVELS.search(debug)
    if not match:
        return None
    byte_levels = [int(m) for m in _LEVEL.findall(match.group(1))]
    levels: list[int] = []
    offset = 0
    for ch in text:
        if offset >= len(byte_levels):
            return None
        levels.append(byte_levels[offset])
        offset += len(ch.encode("utf-8"))
    return levels if offset == len(byte_levels) else None


def _reorder(text: str, levels: list[int]) -> str:
    """Rule L2 of the bidi algorithm (reverse runs from the highest level down), then L4 (mirror)."""
    chars = [_TO_MIRRORED.get(c, c) if lvl % 2 else c for c, lvl in zip(text, levels, strict=True)]
    order = list(range(len(chars)))
    top = max(levels, default=0)
    lowest_odd = min((lvl for lvl in levels if lvl % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return "".join(chars[k] for k in order)


def base_direction(line: str) -> str:
    """``R`` unless the line has Latin letters and no right-to-left one (then ``L``, so «Ltd.» keeps its dot).

    A line with no letters at all (a date and a time, two figures) takes the page's right-to-left
    direction, as it would inside a Persian sentence: «۱۴۰۳/۱۲/۰۲ ۱۱:۱۹» shows the date on the right,
    where a Persian reader starts, not the time.
    """
    latin = False
    for ch in line:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            latin = True
    return "L" if latin else "R"


@functools.lru_cache(maxsize=32768)
def _visual_cached(line: str, font_name: str) -> str:
    shaped = shape(line, font_name)
    base = base_direction(shaped)
    if any(c in MIRRORS for c in shaped):
        levels = _levels(shaped, base)
        if levels is not None:
            return _reorder(shaped, levels).translate(_DROP_ISOLATES)
    # Combining marks stay before their letter in visual order, which is where Vazirmatn's zero-width
    # mark glyphs expect them: they are drawn over the glyph that follows.
    return get_display(shaped, base_dir=base).translate(_DROP_ISOLATES)


def visual(line: str, font_name: str = FONT_REGULAR) -> str:
    """A clean logical line, shaped and in visual (left-to-right drawing) order, brackets mirrored."""
    if not line:
        return ""
    return _visual_cached(line, font_name)
