"""``safe_bidi``: text a clinic PC pushed never leaves a bidi embedding, override or isolate open."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.persian import format_case_number, ltr, safe_bidi

LRE, RLE, PDF, LRO, RLO = "\u202a\u202b\u202c\u202d\u202e"
LRI, RLI, FSI, PDI = "\u2066\u2067\u2068\u2069"
EMBEDDINGS = {LRE, RLE, LRO, RLO}
ISOLATES = {LRI, RLI, FSI}
SCOPED = EMBEDDINGS | ISOLATES | {PDF, PDI}
LEGITIMATE = "\u200c\u200e\u200f\u061c"  # ZWNJ, LRM, RLM, ALM
PARAGRAPH_ENDS = "\n\r\x1c\x1d\x1e\x85\u2029"

# Persian letters and digits, Latin, digits, punctuation, spaces, line breaks, the legitimate marks and
# every scoped bidi control, mixed.
pieces = st.sampled_from(
    [*"آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", *"۰۱۲۳۴۵۶۷۸۹", *"0123456789", *"aBz", *" -./()«»،",
     *"\n\u2029", *LEGITIMATE, *SCOPED]
)  # fmt: skip
mixed = st.lists(pieces, max_size=60).map("".join)


def left_open(text: str) -> list[str]:
    """What a reader of ``text`` by UAX #9's rules X1-X8 finds still open at a paragraph's end or at the end.

    A directional status stack: embeddings and overrides pushed, PDF pops one that is not an isolate, PDI
    pops down to and including the last isolate; a closer with nothing to close is reported too (it would
    close what surrounds the text).
    """
    problems: list[str] = []
    stack: list[str] = []
    for ch in text:
        if ch in EMBEDDINGS or ch in ISOLATES:
            stack.append(ch)
        elif ch == PDF:
            if stack and stack[-1] in EMBEDDINGS:
                stack.pop()
            else:
                problems.append("stray PDF")
        elif ch == PDI:
            if any(c in ISOLATES for c in stack):
                while stack.pop() not in ISOLATES:
                    pass
            else:
                problems.append("stray PDI")
        elif ch in PARAGRAPH_ENDS:
            problems.extend(f"open {c!r} at a line end" for c in stack)
            stack.clear()
    problems.extend(f"open {c!r} at the end" for c in stack)
    return problems


def visible(text: str) -> str:
    return "".join(c for c in text if c not in SCOPED)


@given(mixed)
def test_nothing_left_open_and_the_visible_text_unchanged(text):
    out = safe_bidi(text)
    assert left_open(out) == []
    assert not EMBEDDINGS & set(out) and PDF not in out  # no override can reverse the value itself
    assert visible(out) == visible(text)  # letters, digits, ZWNJ, LRM, RLM, ALM all kept, in order
    assert safe_bidi(out) == out


@given(mixed)
def test_a_value_cannot_reach_the_program_isolates_around_it(text):
    """A value put between the program's own isolates (a case number each side) leaves them as made."""
    before, after = format_case_number("1405-0028"), ltr("+۶")
    out = safe_bidi(before + " " + text + " " + after)
    assert left_open(out) == []
    assert out.startswith(before) and out.endswith(after)


@given(st.lists(st.sampled_from(["نام", "۱۲", "ab", " "]), max_size=6))
def test_balanced_isolates_kept(words):
    """Balanced isolates, nested or not, are the program's own marks: kept exactly."""
    text = LRI + "".join(words) + RLI + "پارس" + PDI + FSI + PDI + PDI
    assert safe_bidi(text) == text


def test_examples():
    assert safe_bidi("\u202eفلز ۱۲۳۴۵") == "فلز ۱۲۳۴۵"  # an override dropped, not closed: it would spoof
    assert safe_bidi("واحد" + RLI + "پارس") == "واحدپارس"  # an isolate left open
    assert safe_bidi("پارس" + PDI + "فلز") == "پارسفلز"  # a PDI that would close what surrounds it
    assert safe_bidi(LRI + "a\nb" + PDI) == "a\nb"  # a line break ends every isolate (UAX #9 BD9)
    assert safe_bidi("می\u200cشود \u200e\u200f\u061c") == "می\u200cشود \u200e\u200f\u061c"
    assert safe_bidi(None) == "" and safe_bidi("") == ""
