"""Persian text: digits, number display, what we store, and what we search on.

Two levels of normalisation, on purpose:

``normalize_input`` — what we *store* for typed text. The design rule is "store text as typed", so this
only removes what is certainly noise and unifies what is certainly the same letter:

* Arabic Yeh (ي U+064A, ى U+0649) becomes Persian Yeh (ی U+06CC) and Arabic Kaf (ك U+0643) becomes
  Persian Kaf (ک U+06A9). Keyboards and pasted Arabic text produce these; they look the same, but without
  this a name typed on two PCs would be two different strings.
* Bidi control characters (LRM, RLM, LRE..RLO, LRI..PDI, ALM) and other invisible junk (ZWSP U+200B,
  BOM/ZWNBSP U+FEFF) are removed: they come from copy and paste and are never meaningful in a field.
  So are control characters (C0 but tab and line breaks, DEL, C1): pasted from other programs they are
  invisible, and an Excel sheet (XML) cannot hold them, so one of them made the whole export fail.
* Whitespace is stripped and every run of whitespace becomes one space (``multiline=True`` keeps line
  breaks for note fields).
* ZWNJ (U+200C, نیم‌فاصله) is kept — it is part of correct Persian spelling (می‌شود، کسب‌وکار) — but runs
  of it become one, and a ZWNJ that does not sit between two letters (or letter/digit/mark) is removed:
  beside a space, at either end, or beside punctuation it only hides a typing slip.
* Tatweel (ـ U+0640), diacritics, hamza forms and digits are kept exactly as typed: they are the
  user's spelling, and a printed report must show what was entered.

``search_key`` / ``search_tokens`` / ``query_tokens`` — what we *index and compare*. Here we fold every
variation a typist might produce, because a search must find «رئیس» typed as «رییس», «مسؤول» typed as
«مسوول», or «كيك» typed with Arabic letters:

* Everything ``normalize_input`` does, then Unicode NFKD (this also maps Arabic presentation forms pasted
  from PDFs, e.g. ﻛ, back to the base letters, and full-width Latin to ASCII) and casefolding of Latin.
* Hamza forms are folded *only here*: أ إ آ ٱ -> ا, ؤ -> و, ئ -> ی, standalone ء and the combining hamza
  above/below (U+0654/U+0655) dropped. This is lossy — «رئیس» and «رییس» become one key, «مسؤول» and
  «مسوول» another, «سأل» loses its hamza — which is fine for finding things but would be wrong to
  store: the stored spelling
  is the user's and is printed on official reports. Likewise ة and ۀ -> ه.
* All combining marks (harakat U+064B..U+065F, superscript alef U+0670 and any other script's marks)
  and tatweel are dropped; digits (Persian, Arabic-Indic, any other Unicode decimal digit) become ASCII.
* Anything that is not a letter or a digit (Persian and Latin punctuation, symbols, «», ،, ؛, ؟, /, -, _,
  ...) becomes a space; invisible format characters are removed (so a soft hyphen does not split a word).
* ZWNJ: people type compounds both with and without it (کسب‌وکار / کسبوکار / کسب وکار). The key used
  for duplicate detection (``search_key``) removes it, joining the compound.
* Space, ZWNJ and no separator at all are the same to a search, on both sides: «فرآورده های لبنی» is
  found by «فرآورده‌های» and by «فرآوردههای», and «فرآوردههای لبنی» by «فرآورده های». Both the stored
  text and the query are cut into *atoms* at every space and ZWNJ. The index (``search_tokens``) holds
  each atom and each run of up to ``JOIN_MAX`` neighbouring atoms written together (فراورده، های،
  فراوردههای، ...), so a query that joins words the text separates finds them; the query
  (``build_fts_query``) lets each atom match alone or joined with up to ``JOIN_MAX`` - 1 neighbours, so a
  query that separates words the text joins finds them too. The limit: between two places where both
  sides separate words, at most ``JOIN_MAX`` words. Identifiers (``ID_MIN_DIGITS`` or more digits) are
  never joined to their neighbours: no one types a name and a phone number as one word.
* Identifiers: a national ID, code, postal code or phone is found by any run of ``ID_MIN_DIGITS`` or
  more of its digits, not only by its first digits: the index also holds every ``ID_MIN_DIGITS``-digit
  piece of it (a marked token no typed text can produce), and the query asks for its pieces in a row
  (an FTS5 phrase), which is exactly "this run of digits occurs in it". Pieces of five digits take at
  most 100,000 distinct tokens however many enterprises there are.

``build_fts_query`` turns what the user typed into an SQLite FTS5 MATCH expression: every token is a
double-quoted string (so AND/OR/NOT/NEAR, ^, :, *, parentheses and column filters are never syntax),
one group of alternatives per atom, groups ANDed, and every alternative that ends with the last atom a
prefix query, for search-as-you-type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

__all__ = [
    "ID_MIN_DIGITS",
    "INDEX_COLUMN_BREAK",
    "JOIN_MAX",
    "ZWNJ",
    "build_fts_query",
    "format_case_number",
    "format_change",
    "format_decimal",
    "format_number",
    "format_rounded",
    "format_size",
    "format_version",
    "index_text",
    "isolate_codes",
    "ltr",
    "normalize_input",
    "query_atoms",
    "query_tokens",
    "safe_bidi",
    "search_key",
    "search_tokens",
    "to_ascii_digits",
    "to_persian_digits",
]

ZWNJ = "\u200c"

# At most this many neighbouring words written together are found when the other side wrote them apart.
JOIN_MAX = 3
# A run of this many digits or more is an identifier: found by any run of this many of its digits.
ID_MIN_DIGITS = 5
# Begins an identifier's piece token. A private-use character: folding turns any typed one into a space.
_PIECE_MARK = "\ue000"

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669
PERSIAN_THOUSANDS_SEPARATOR = "٬"  # U+066C
PERSIAN_DECIMAL_SEPARATOR = "٫"  # U+066B

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)

# Bidi controls: LRM, RLM, ALM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI. Plus zero-width space and
# BOM / zero-width no-break space, which only arrive by copy and paste.
_INVISIBLE_JUNK = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"
# Control characters but tab, LF, VT, FF, CR (whitespace: collapsed below) and NEL (a line break).
_CONTROLS = [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]
_REMOVE_JUNK = str.maketrans(dict.fromkeys([*map(ord, _INVISIBLE_JUNK), *_CONTROLS]))

# Letters unified on input (stored).
_INPUT_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})

# Letters folded for search only (applied after NFKD, which has already split أ إ آ ؤ ئ ۀ into a base
# letter plus a combining mark that is then dropped).
_SEARCH_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي -> ی (NFKD of ئ gives ي + hamza)
        "\u0649": "\u06cc",  # ى -> ی
        "\u0643": "\u06a9",  # ك -> ک
        "\u0623": "\u0627",  # أ -> ا (in case it survived decomposition)
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u06cc",  # ئ -> ی
        "\u0629": "\u0647",  # ة -> ه
        "\u06c0": "\u0647",  # ۀ -> ه
        "\u06d5": "\u0647",  # ە (NFKD of ۀ gives ە + hamza) -> ه
        "\u06c1": "\u0647",  # ہ -> ه
        "\u06c2": "\u0647",  # ۂ -> ه
        "\u0621": None,  # standalone hamza ء dropped
        "\u0674": None,  # high hamza dropped
        "\u0640": None,  # tatweel dropped
    }
)

_WS_RUN = re.compile(r"\s+")
_ZWNJ_RUN = re.compile(ZWNJ + "{2,}")


# --------------------------------------------------------------------------- digits and numbers


def to_ascii_digits(s: str) -> str:
    """Persian (U+06F0..) and Arabic-Indic (U+0660..) digits -> ASCII; everything else unchanged."""
    return s.translate(_TO_ASCII)


def to_persian_digits(s_or_number: str | int | float | Decimal) -> str:
    """ASCII (and Arabic-Indic) digits -> Persian digits, for display.

    Numbers are converted with ``str`` and a fraction gets the Persian decimal separator (``2.5 ->
    '۲٫۵'``); a string keeps its marks, as it may be a date, a code or a version.
    """
    if isinstance(s_or_number, float | Decimal):
        return str(s_or_number).replace(".", PERSIAN_DECIMAL_SEPARATOR).translate(_TO_PERSIAN)
    return to_ascii_digits(str(s_or_number)).translate(_TO_PERSIAN)


def format_number(n: int | float | Decimal | str | None, persian: bool = True) -> str:
    """Group thousands: ``1234567 -> '۱٬۲۳۴٬۵۶۷'`` (or ``'1,234,567'`` with ``persian=False``).

    Negative numbers keep a leading ``-``; fractions keep their digits (decimal separator ``٫`` in
    Persian, ``.`` otherwise); ``None`` gives ``''``. Strings may use Persian digits and separators.
    """
    if n is None:
        return ""
    if isinstance(n, bool):
        raise TypeError("format_number does not take a bool")
    if isinstance(n, int):
        text = f"{n:,}"
    else:
        if isinstance(n, str):
            raw = to_ascii_digits(n).strip()
            raw = raw.replace(PERSIAN_THOUSANDS_SEPARATOR, "").replace(",", "")
            raw = raw.replace(PERSIAN_DECIMAL_SEPARATOR, ".").replace("\u2212", "-")
            try:
                value = Decimal(raw)
            except InvalidOperation:
                raise ValueError(f"not a number: {n!r}") from None
        elif isinstance(n, float):
            value = Decimal(repr(n))  # shortest round-tripping form, not the binary expansion
            if value == value.to_integral_value():
                value = value.to_integral_value()  # 13.0 is shown as 13: a float has no typed precision
        elif isinstance(n, Decimal):
            value = n
        else:
            raise TypeError(f"format_number cannot format {type(n).__name__}")
        if not value.is_finite():
            raise ValueError(f"not a finite number: {n!r}")
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            text = f"{int(value):,}"
        else:
            text = format(value, ",f")
    if not persian:
        return text
    text = text.replace(",", "\0").replace(".", PERSIAN_DECIMAL_SEPARATOR).replace("\0", "٬")
    return text.translate(_TO_PERSIAN)


def format_decimal(value: int | float | Decimal, places: int = 1) -> str:
    """A number with exactly ``places`` decimals, for scores and hours: ``2.5 -> '۲٫۵'``, ``3 -> '۳٫۰'``."""
    return format_number(Decimal(f"{value:.{places}f}"))


_SIZE_UNITS = (("گیگابایت", 1 << 30), ("مگابایت", 1 << 20), ("کیلوبایت", 1 << 10))


def format_size(size_bytes: int) -> str:
    """A file size in Persian words: ``1_234_567 -> '۱٫۲ مگابایت'``, ``900 -> '۹۰۰ بایت'``."""
    for unit, factor in _SIZE_UNITS:
        if size_bytes >= factor:
            return f"{format_number(round(size_bytes / factor, 1))} {unit}"
    return f"{format_number(size_bytes)} بایت"


LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate and its end


def format_rounded(value: int | float | Decimal, decimals: int = 0) -> str:
    """Rounded to at most ``decimals`` places, no trailing zeros: ``(7.0, 2) -> '۷'``, ``(8.75, 1) -> '۸٫۸'``."""
    if decimals:
        rounded = round(float(value), decimals)
        return format_number(int(rounded) if rounded == int(rounded) else rounded)
    return format_number(round(value) if isinstance(value, float) else value)


def format_change(value: int | float | Decimal, decimals: int = 0, suffix: str = "") -> str:
    """A change with its sign, rounded to at most ``decimals`` places: «+۷», «-۳٫۲٪», «۰».

    A signed figure is one left-to-right run, or a right-to-left line would show «۷+» or «٪۳٫۲-».
    """
    text = format_rounded(value, decimals)
    if value > 0 and text != "۰":
        text = "+" + text
    text += suffix
    return ltr(text) if text[:1] in ("-", "+") else text


def ltr(text: str) -> str:
    """``text`` as one left-to-right island inside Persian text ('' stays '').

    After a Persian word the bidi algorithm takes digits as Arabic numbers and a dash or a point between
    two of them stays neutral, so «پروندهٔ ۱۴۰۵-۰۰۲۸» would show as «۰۰۲۸-۱۴۰۵» and a version «۰٫۱٫۰»
    could come apart. An isolate (U+2066 ... U+2069) keeps the run in the order it was written.
    """
    return f"{LRI}{text}{PDI}" if text else ""


def format_case_number(number: str | None) -> str:
    """A case number for people: Persian digits in one left-to-right run (``'1405-0028' -> '⁦۱۴۰۵-۰۰۲۸⁩'``)."""
    return ltr(to_persian_digits(number)) if number else ""


def format_version(version: str | int) -> str:
    """A program or template version in Persian digits and the Persian separator, kept in order.

    ``'0.1.0' -> '⁦۰٫۱٫۰⁩'``; ``1 -> '۱'``. Anything after a ``+`` or ``-`` (a build or pre-release tag)
    is kept, in Persian digits.
    """
    if isinstance(version, int):
        return format_number(version)
    text = to_persian_digits(str(version).strip())
    match = re.search(r"[+-]", text)
    core, tail = (text[: match.start()], text[match.start() :]) if match else (text, "")
    return ltr(core.replace(".", PERSIAN_DECIMAL_SEPARATOR) + tail)


# Digits joined by a dash or a slash (case numbers, dates, ranges typed into a title), in any script.
_CODE = re.compile(r"[0-9\u06f0-\u06f9\u0660-\u0669]+(?:[-/][0-9\u06f0-\u06f9\u0660-\u0669]+)+")


def isolate_codes(text: str | None) -> str:
    """Wrap every run of digits joined by ``-`` or ``/`` in a left-to-right isolate, in Persian digits.

    For text people wrote or the program made earlier (a plan title «برنامهٔ ... پروندهٔ 1405-0028»), so it
    shows as written instead of reversed; the rest of the text is left as it is.
    """
    if not text:
        return ""
    return _CODE.sub(lambda m: ltr(to_persian_digits(m.group(0))), text)


# --------------------------------------------------------------------------- untrusted text shown

# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO): dropped. Isolate initiators (LRI, RLI, FSI) and PDI:
# kept in matched pairs only. Paragraph separators (bidi class B) end every isolate, as in UAX #9 (BD9).
_EMBEDDINGS = "\u202a\u202b\u202c\u202d\u202e"
_ISOLATE_OPENERS = "\u2066\u2067\u2068"
_PDI = "\u2069"
_PARAGRAPH_ENDS = "\n\r\x1c\x1d\x1e\x85\u2029"
_BIDI_SCOPED = re.compile("[\u202a-\u202e\u2066-\u2069]")
_DROP_EMBEDDINGS = str.maketrans(dict.fromkeys(map(ord, _EMBEDDINGS)))
# The program's own form (``ltr``): isolates one level deep, each closed on its line. Kept as it is, at once.
_FLAT_ISOLATES = re.compile(
    "[^\u202a-\u202e\u2066-\u2069]*"
    "(?:[\u2066-\u2068][^\u202a-\u202e\u2066-\u2069\n\r\x1c-\x1e\x85\u2029]*\u2069[^\u202a-\u202e\u2066-\u2069]*)*"
)


def safe_bidi(text: str | None) -> str:
    """Text from a PC we do not trust, made safe to show: no bidi control can reach past it or spoof it.

    A clinic PC is not trusted, and one under an attacker's control can push a right-to-left override
    (U+202E) in an enterprise name: shown as stored, it reverses the rest of the value and of the line it
    is printed on («Trojan Source»), so a reader sees another name, national ID or figure. This is the one
    definition used wherever such text is shown: the console's pages and the desktop's table models (``shown_text``), every Excel cell
    (``excel.text_cell``), every PDF paragraph and table cell (``rtl.clean_text``).

    * Embeddings and overrides (LRE, RLE, PDF, LRO, RLO, U+202A..202E) are DROPPED, not closed. Closing
      them at the end of the value would stop them spilling onto the line, but an override would still
      reverse the value itself («\u202e۱۲۳۴۵» shows as ۵۴۳۲۱): a spoofed name or number is what we are
      closing. Nothing legitimate is lost: the desktop removes them from every typed text
      (``normalize_input``), the program never makes them, and search folding ignores them, so what is
      shown is also what a search finds.
    * Isolates (LRI, RLI, FSI ... PDI, U+2066..2069) are kept in matched pairs and an unmatched one is
      dropped. The program makes balanced isolates itself (``ltr``: case numbers, signed figures), and this
      function is also run over whole lines made of program text and values, so dropping every isolate would
      show «۱۴۰۵-۰۰۲۸» as «۰۰۲۸-۱۴۰۵». A matched pair cannot reach outside itself (that is what an isolate
      is) nor reverse characters; an unmatched initiator would isolate the rest of the line, and an
      unmatched PDI would close an isolate the program opened around the value. Pairs match as in UAX #9
      (BD9): nested, and within one paragraph (a line break ends every isolate).
    * ZWNJ (U+200C), LRM, RLM (U+200E/F) and ALM (U+061C) are left as they are: they are part of
      spelling or mark one character's direction, open nothing, and cannot leave anything open.

    Everything else is unchanged. ``None`` gives ``''``. Idempotent.
    """
    if not text:
        return ""
    if not _BIDI_SCOPED.search(text):
        return text  # nearly every value: one scan, no copy
    if _FLAT_ISOLATES.fullmatch(text):
        return text
    s = text.translate(_DROP_EMBEDDINGS)
    if _PDI not in s and not any(c in s for c in _ISOLATE_OPENERS):
        return s
    keep = [True] * len(s)
    open_at: list[int] = []  # positions of the isolate initiators still open, innermost last
    for i, ch in enumerate(s):
        if ch in _ISOLATE_OPENERS:
            open_at.append(i)
        elif ch == _PDI:
            if open_at:
                open_at.pop()
            else:
                keep[i] = False  # closes nothing of the value's own: it would close what surrounds it
        elif ch in _PARAGRAPH_ENDS:
            for j in open_at:
                keep[j] = False
            open_at.clear()
    for j in open_at:
        keep[j] = False
    return "".join(ch for ch, k in zip(s, keep, strict=True) if k)


def shown_text(value: object) -> object:
    """A value on its way to a screen or a page: text through ``safe_bidi`` (it may have come from a PC we
    do not trust); anything else (a number, None, markup the program built) as it is. The console's
    templates (every ``{{ }}``) and the desktop's table models show values through here."""
    return safe_bidi(value) if type(value) is str else value


# --------------------------------------------------------------------------- stored text


def _is_word_char(ch: str, *, marks: bool) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or (marks and cat[0] == "M")


def _clean_zwnj(s: str, *, marks: bool) -> str:
    """Collapse ZWNJ runs; keep a ZWNJ only between two word characters."""
    if ZWNJ not in s:
        return s
    s = _ZWNJ_RUN.sub(ZWNJ, s)
    out = []
    last = len(s) - 1
    for i, ch in enumerate(s):
        if ch == ZWNJ and not (
            0 < i < last and _is_word_char(s[i - 1], marks=marks) and _is_word_char(s[i + 1], marks=marks)
        ):
            continue
        out.append(ch)
    return "".join(out)


def _collapse_ws(s: str, *, multiline: bool) -> str:
    if not multiline:
        return _WS_RUN.sub(" ", s).strip()
    lines = [_WS_RUN.sub(" ", line).strip() for line in s.splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def normalize_input(s: str | None, *, multiline: bool = False) -> str | None:
    """The form of typed text we store. See the module docstring; ``None`` stays ``None``.

    With ``multiline=True`` (notes, descriptions) line breaks are kept: each line is collapsed and
    stripped, and more than one empty line in a row becomes one.
    """
    if s is None:
        return None
    s = s.translate(_REMOVE_JUNK).translate(_INPUT_LETTERS)
    s = _clean_zwnj(s, marks=True)
    return _collapse_ws(s, multiline=multiline)


# --------------------------------------------------------------------------- search


def _fold(s: str | None) -> str:
    """Search folding that still keeps ZWNJ inside words (only between two letters/digits)."""
    if not s:
        return ""
    s = normalize_input(s) or ""
    s = unicodedata.normalize("NFKD", s)
    s = unicodedata.normalize("NFKD", s.casefold())
    s = s.translate(_SEARCH_LETTERS)
    out = []
    for ch in s:
        if ch == ZWNJ:
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat == "Nd":
            out.append(str(unicodedata.decimal(ch)))  # any script's decimal digit -> ASCII
        elif cat[0] in "LN":
            out.append(ch)
        elif cat[0] == "M" or cat == "Cf":
            continue  # diacritics, hamza marks, invisible format characters: dropped, word stays whole
        else:
            out.append(" ")  # punctuation, symbols, separators, controls
    return _collapse_ws(_clean_zwnj("".join(out), marks=False), multiline=False)


def search_key(s: str | None) -> str:
    """Folded form for comparing and duplicate detection (``None`` -> ``''``).

    ZWNJ compounds are joined (کسب‌وکار -> کسبوکار) because typists disagree about the ZWNJ. Idempotent.
    """
    return _fold(s).replace(ZWNJ, "")


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _atoms(s: str | None) -> list[str]:
    """The folded words of ``s``, cut at every space and ZWNJ alike."""
    return [a for a in _fold(s).replace(ZWNJ, " ").split(" ") if a]


def _is_identifier(atom: str) -> bool:
    return len(atom) >= ID_MIN_DIGITS and atom.isascii() and atom.isdigit()


def _pieces(digits: str) -> list[str]:
    """The marked ``ID_MIN_DIGITS``-digit pieces of an identifier, in order."""
    n = ID_MIN_DIGITS
    return [_PIECE_MARK + digits[i : i + n] for i in range(len(digits) - n + 1)]


def _token_columns(s: str | None) -> tuple[list[str], list[str]]:
    """The index tokens of ``s`` in two lists: its atoms, and the runs and identifier pieces.

    Kept apart because a prefix query for an atom also matches every run that starts with it: counted
    at full weight, a word followed by others would outrank a word alone (see ``search_index``).
    """
    atoms = _atoms(s)
    words: list[str] = []
    extra: list[str] = []
    for i, atom in enumerate(atoms):
        words.append(atom)
        if _is_identifier(atom):
            extra.extend(_pieces(atom))
            continue
        run = atom
        for nxt in atoms[i + 1 : i + JOIN_MAX]:
            if _is_identifier(nxt):
                break
            run += nxt
            extra.append(run)
    return words, extra


def search_tokens(s: str | None) -> list[str]:
    """Tokens to index: each atom, each run of up to ``JOIN_MAX`` atoms joined, an identifier's pieces.

    ``search_tokens('کسب‌وکار کوچک') == ['کسب', 'وکار', 'کوچک', 'کسبوکار', 'کسبوکارکوچک', 'وکارکوچک']``.
    Deduplicated, order kept; no token contains a ZWNJ or a space. An identifier's pieces follow each other
    (a phrase query relies on that) and are never joined to other atoms.
    """
    words, extra = _token_columns(s)
    return _dedupe([*words, *extra])


def query_atoms(s: str | None) -> list[str]:
    """The atoms of what a user typed in a search box: folded words cut at spaces, ZWNJ and punctuation."""
    return _atoms(s)


def query_tokens(s: str | None) -> list[str]:
    """Tokens of what a user typed, as written: ZWNJ joins, spaces (and punctuation) split."""
    return [t for t in search_key(s).split(" ") if t]


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def build_fts_query(s: str | None) -> str | None:
    """An FTS5 MATCH expression for search-as-you-type, or ``None`` when nothing searchable is left.

    One group per atom: the atom alone or joined with neighbours (up to ``JOIN_MAX`` atoms), and for a
    run of ``ID_MIN_DIGITS`` or more digits its pieces as a phrase. Alternatives that end with the last
    atom are prefix queries. ``build_fts_query('کسب کار') == '("کسب" OR "کسبکار"*) AND ("کار"* OR
    "کسبکار"*)'``. Every token is a quoted string, so nothing the user types can be read as FTS5 syntax
    (operators, NEAR, ^, column filters, brackets).
    """
    atoms = query_atoms(s)
    if not atoms:
        return None
    last = len(atoms) - 1
    groups = []
    for i in range(len(atoms)):
        alternatives = []
        for start in range(max(0, i - JOIN_MAX + 1), i + 1):
            for end in range(i, min(last, start + JOIN_MAX - 1) + 1):
                token = "".join(atoms[start : end + 1])
                alternatives.append(_fts_string(token) + ("*" if end == last else ""))
                if _is_identifier(token):
                    alternatives.append(_fts_string(" ".join(_pieces(token))))
        alternatives = _dedupe(alternatives)
        groups.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


INDEX_COLUMN_BREAK = "\n"


def index_text(*parts: object) -> str:
    """The FTS document of these parts: their atoms, then a line break, then the runs and pieces.

    ``search_index`` shows the two lines to FTS5 as two columns; to a one-column table the line break is
    only a separator. Each part's runs stay inside the part (a name's last word is not joined to the park's).
    """
    words: list[str] = []
    extra: list[str] = []
    for part in parts:
        if part is None:
            continue
        text = part if isinstance(part, str) else str(part)
        if text:
            w, x = _token_columns(text)
            words.extend(w)
            extra.extend(x)
    body = " ".join(_dedupe(words))
    # Pieces are not deduplicated: a phrase query needs all of an identifier's pieces in a row.
    seen: set[str] = set()
    kept = []
    for token in extra:
        if token.startswith(_PIECE_MARK) or token not in seen:
            seen.add(token)
            kept.append(token)
    more = " ".join(kept)
    return body + INDEX_COLUMN_BREAK + more if more else body


def whole_number(text: str) -> int | None:
    """``text`` as a whole number if it is one or more ASCII digits, else None.

    ``str.isdigit`` is also true of «³» and other digits ``int`` refuses, so a check with it alone lets a
    typed or sent value through to a ValueError.
    """
    return int(text) if text and text.isascii() and text.isdigit() else None
