"""Turning a draft body into the text the rules read.

Two things matter here. Offsets: the rules work on Python strings (code points), clients
count UTF-16 code units (JavaScript, LanguageTool), and HTML input needs a way back to
its source. And whose words they are: quoted replies and signatures are in the body but
were not written for this email, so they are masked out (kept in place as spaces, so
every offset still points into the text the client sent).
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from itertools import accumulate
from typing import Any, TypeVar, cast

from intro_coach import linear
from intro_coach.cache import ByteLRU

Span = tuple[int, int]


class Utf16Index:
    """Maps code-point offsets of one string to UTF-16 code-unit offsets."""

    def __init__(self, text: str) -> None:
        # Most drafts are ASCII or BMP-only; then the two counts agree and no table is
        # needed, which keeps the per-keystroke cost flat.
        self._astral: list[int] | None = None
        if not text.isascii() and any(ord(c) > 0xFFFF for c in text):
            self._astral = list(accumulate((1 if ord(c) > 0xFFFF else 0 for c in text), initial=0))

    def __call__(self, index: int) -> int:
        if self._astral is None:
            return index
        return index + self._astral[index]


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


# --- HTML ----------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th "
    "thead tr ul".split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
_HIDDEN_TAGS = frozenset("head script style template title noscript".split())
# Gmail marks quoted history and the signature with these classes; Outlook and Apple
# Mail use the ids and the blockquote type.
_QUOTE_CLASSES = frozenset({"gmail_quote", "gmail_extra", "gmail_attr", "moz-cite-prefix"})
_SIGNATURE_CLASSES = frozenset({"gmail_signature", "moz-signature"})
_QUOTE_IDS = frozenset({"mail-editor-reference-message-container"})
# Outlook marks only where the history starts (an empty div, then a header div); the
# quoted mail follows as siblings, so everything from the marker on is history.
_HISTORY_MARKER_IDS = frozenset({"appendonsend", "divrplyfwdmsg"})


def _excluded_kind(tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
    """'history' for quoted mail, 'signature' for a signature, None for the writer's text."""
    values = {k: (v or "") for k, v in attrs}
    classes = set(values.get("class", "").split())
    if classes & _SIGNATURE_CLASSES or values.get("data-smartmail") == "gmail_signature":
        return "signature"
    if classes & _QUOTE_CLASSES or values.get("id", "").lower() in _QUOTE_IDS:
        return "history"
    if tag == "blockquote" and values.get("type") == "cite":
        return "history"
    return None


@dataclass
class Extracted:
    """Text of an HTML body, with each character's offset in the source."""

    text: str
    source: list[int]  # len(text) + 1 entries; the last one is the end of the source
    excluded: list[Span] = field(default_factory=list)
    has_history: bool = False
    html: str = ""

    def source_span(self, start: int, end: int) -> Span:
        if start >= end:
            return self.source[start], self.source[start]
        last = self.source[end - 1]
        # A character that came from an entity ("&eacute;") ends where the entity does.
        if self.html[last : last + 1] == "&":
            return self.source[start], _entity_end(self.html, last)
        return self.source[start], last + 1


def _run_end(text: str, start: int, allowed: str | None = None, limit: int = 64) -> int:
    """Where the run of letters and digits (or of `allowed` characters) from `start`
    ends; at most `limit` characters are looked at."""
    end = start
    stop = min(len(text), start + limit)
    while end < stop and (
        text[end] in allowed if allowed else text[end].isascii() and text[end].isalnum()
    ):
        end += 1
    return end


_HEX = "0123456789abcdefABCDEF"
_DIGITS = "0123456789"


def _entity_end(html: str, at: int) -> int:
    """The end of the character reference at `at` ('&'): "&eacute;", "&#233;", "&#xE9"."""
    if html[at + 1 : at + 2] == "#":
        if html[at + 2 : at + 3] in ("x", "X") and html[at + 3 : at + 4] and html[at + 3] in _HEX:
            end = _run_end(html, at + 3, _HEX)
        elif html[at + 2 : at + 3] and html[at + 2] in _DIGITS:
            end = _run_end(html, at + 2, _DIGITS)
        else:
            return at + 1
    elif html[at + 1 : at + 2].isascii() and html[at + 1 : at + 2].isalpha():
        end = _run_end(html, at + 1)
    else:
        return at + 1
    return end + 1 if html[end : end + 1] == ";" else end


class _TextBuilder:
    """Builds the text from the events of `_tokenize`, each with its source offset."""

    def __init__(self, html: str) -> None:
        self._html = html
        self._pos = 0
        self._open: Counter[str] = Counter()  # the stack's tag names, for stray end tags
        self.chars: list[str] = []
        self.source: list[int] = []
        self.excluded: list[Span] = []
        self._stack: list[tuple[str, bool]] = []
        self._hidden = 0
        self._excluding = 0
        self._exclude_from = 0
        self._pre = 0
        self._history_from: int | None = None
        self.has_history = False

    def _offset(self) -> int:
        return self._pos

    def _emit(self, text: str, offsets: list[int]) -> None:
        self.chars.extend(text)
        self.source.extend(offsets)

    def _newline(self) -> None:
        if self.chars and self.chars[-1] != "\n":
            # A block boundary: trailing spaces before it are layout, not text.
            while self.chars and self.chars[-1] == " ":
                self.chars.pop()
                self.source.pop()
            self._emit("\n", [self._offset()])

    def _text(self, data: str, start: int) -> None:
        if self._hidden:
            return
        if self._pre:
            self._emit(data, list(range(start, start + len(data))))
            return
        for i, ch in enumerate(data):
            if ch in " \t\r\n\f":
                # Source whitespace collapses to one space, as a browser renders it.
                if not self.chars or self.chars[-1] in " \n":
                    continue
                ch = " "
            elif ch == "\u00a0":
                ch = " "
            self._emit(ch, [start + i])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        if tag == "br":
            self._emit("\n", [self._offset()])
            return
        if tag in _BLOCK_TAGS:
            self._newline()
        if tag in _VOID_TAGS:
            return
        if self._history_from is None and any(
            k == "id" and (v or "").lower() in _HISTORY_MARKER_IDS for k, v in attrs
        ):
            self._history_from = len(self.chars)
            self.has_history = True
        kind = _excluded_kind(tag, attrs)
        excluding = kind is not None
        self.has_history = self.has_history or kind == "history"
        if excluding:
            if not self._excluding:
                self._exclude_from = len(self.chars)
            self._excluding += 1
        if tag == "pre":
            self._pre += 1
        self._stack.append((tag, excluding))
        self._open[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and self._hidden:
            self._hidden -= 1
        if not self._open[tag]:
            return  # a stray end tag; browsers ignore it too
        while self._stack:
            open_tag, excluding = self._stack.pop()
            self._open[open_tag] -= 1
            if open_tag == "pre":
                self._pre -= 1
            if excluding:
                self._excluding -= 1
                if not self._excluding:
                    self.excluded.append((self._exclude_from, len(self.chars)))
            if open_tag == tag:
                break
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        self._text(data, self._offset())

    def handle_entityref(self, name: str) -> None:
        from html.entities import name2codepoint  # milliseconds of a linter run otherwise

        start = self._offset()
        if name in name2codepoint:
            self._text(chr(name2codepoint[name]), start)
        else:
            self._text(f"&{name}", start)

    def handle_charref(self, name: str) -> None:
        start = self._offset()
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            char = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        except ValueError:
            char = "\ufffd"
        self._text(char, start)

    def finish(self) -> Extracted:
        if self._excluding:
            self.excluded.append((self._exclude_from, len(self.chars)))
        if self._history_from is not None:
            self.excluded.append((self._history_from, len(self.chars)))
        while self.chars and self.chars[-1] in " \n":
            self.chars.pop()
            self.source.pop()
        self.source.append(len(self._html))
        excluded = [(s, min(e, len(self.chars))) for s, e in self.excluded if s < len(self.chars)]
        return Extracted("".join(self.chars), self.source, excluded, self.has_history, self._html)


def html_to_text(html: str) -> Extracted:
    builder = _TextBuilder(html)
    _tokenize(html, builder)
    return builder.finish()


# Elements whose content is text up to their end tag, never markup.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed"})
_SPACE = " \t\n\r\f"
_TAG_END = " \t\n\r\f/>"


def _tokenize(html: str, out: _TextBuilder) -> None:
    """Read `html` once, left to right, and tell `out` each tag, text run and character
    reference with its offset. Every character is looked at a bounded number of times,
    whatever the markup: an unclosed comment, quote or tag runs to the end of the input
    (as in a browser), and the next '<' and '&' are searched for once each, not again
    from every position (CPython's html.parser rescans there: CVE-2025-6069)."""
    n = len(html)
    i = 0
    next_lt = html.find("<")
    next_amp = html.find("&")
    while i < n:
        if next_lt != -1 and next_lt < i:
            next_lt = html.find("<", i)
        if next_amp != -1 and next_amp < i:
            next_amp = html.find("&", i)
        special = min((p for p in (next_lt, next_amp) if p != -1), default=n)
        if special > i:
            out._pos = i
            out.handle_data(html[i:special])
            i = special
            continue
        i = _reference(html, i, out) if html[i] == "&" else _markup(html, i, out)


def _reference(html: str, i: int, out: _TextBuilder) -> int:
    end = _entity_end(html, i)
    out._pos = i
    if end == i + 1:
        out.handle_data("&")
    elif html[i + 1] == "#":
        out.handle_charref(html[i + 2 : end].rstrip(";"))
    else:
        out.handle_entityref(html[i + 1 : end].rstrip(";"))
    return end


def _markup(html: str, i: int, out: _TextBuilder) -> int:
    n = len(html)
    nxt = html[i + 1 : i + 2]
    if html.startswith("<!--", i):
        close = html.find("-->", i + 4)
        return n if close == -1 else close + 3
    if nxt in ("!", "?"):
        close = html.find(">", i + 2)
        return n if close == -1 else close + 1
    closing = nxt == "/"
    name_start = i + 2 if closing else i + 1
    if not (
        html[name_start : name_start + 1].isascii() and html[name_start : name_start + 1].isalpha()
    ):
        out._pos = i
        out.handle_data("<")  # not a tag: a literal '<' ("a < b")
        return i + 1
    j = name_start
    while j < n and html[j] not in _TAG_END:
        j += 1
    tag = html[name_start:j].lower()
    attrs, end, self_closing = _attributes(html, j)
    if end == -1:
        return n  # a tag still open at the end of the input is dropped, as browsers do
    out._pos = i
    if closing:
        out.handle_endtag(tag)
        return end
    if self_closing:
        out.handle_startendtag(tag, attrs)
    else:
        out.handle_starttag(tag, attrs)
    if tag in _RAW_TEXT and not self_closing:
        return _raw_text(html, end, tag, out)
    return end


def _unescape(value: str) -> str:
    if "&" not in value:
        return value
    from html import unescape  # imported by HTML with references only (a linter run's ms)

    return unescape(value)


def _attributes(html: str, j: int) -> tuple[list[tuple[str, str | None]], int, bool]:
    """The attributes of a tag from `j` (just past its name) and the index past its '>'
    (-1 when the input ends first)."""
    n = len(html)
    attrs: list[tuple[str, str | None]] = []
    while j < n:
        ch = html[j]
        if ch in _SPACE:
            j += 1
        elif ch == ">":
            return attrs, j + 1, False
        elif ch == "/":
            if html[j + 1 : j + 2] == ">":
                return attrs, j + 2, True
            j += 1
        else:
            k = j + 1
            while k < n and html[k] not in _SPACE and html[k] not in "/>=":
                k += 1
            name = html[j:k].lower()
            while k < n and html[k] in _SPACE:
                k += 1
            if html[k : k + 1] != "=":
                attrs.append((name, None))
                j = k
                continue
            k += 1
            while k < n and html[k] in _SPACE:
                k += 1
            quote = html[k : k + 1]
            if quote in ("'", '"'):
                close = html.find(quote, k + 1)
                if close == -1:
                    return attrs, -1, False
                attrs.append((name, _unescape(html[k + 1 : close])))
                j = close + 1
            else:
                v = k
                while v < n and html[v] not in _SPACE and html[v] != ">":
                    v += 1
                attrs.append((name, _unescape(html[k:v])))
                j = v
    return attrs, -1, False


def _raw_text(html: str, start: int, tag: str, out: _TextBuilder) -> int:
    """The content of a raw-text element (a script, a style) up to its end tag."""
    j = html.find("</", start)
    while j != -1 and html[j + 2 : j + 2 + len(tag)].lower() != tag:
        j = html.find("</", j + 2)
    end = len(html) if j == -1 else j
    if end > start:
        out._pos = start
        out.handle_data(html[start:end])
    return end


# --- Quoted replies and signatures ---------------------------------------------------

# A reply header, in the languages Gmail writes it in most often. It can wrap onto a
# second line when the sender's address is long.
_REPLY_HEADER = linear.compile(
    r"^[ \t]*(?:On|Le|Am|El|Il|Em|Op|På|W dniu)"
    # The opener is a whole word: what follows it on its line starts with a non-word.
    r"(?:[^\w\n][^\n]{0,299}(?:\n[^\n]{0,300})?|\n[^\n]{0,300})"
    r"(?:wrote|a écrit|schrieb|escribió|ha scritto|escreveu|schreef|skrev|napisał)\s*:[ \t]*$",
    linear.MULTILINE,
)
_FORWARD_HEADER = linear.compile(
    r"^[ \t]*(?:-{2,}\s*(?:Forwarded message|Original Message|Mensaje reenviado|"
    r"Message transféré|Weitergeleitete Nachricht)\s*-{2,}|Begin forwarded message:|"
    r"From: [^\n]+\n(?:Sent|Date): )",
    linear.MULTILINE | linear.IGNORECASE,
)
_SIGNATURE = linear.compile(r"^-- ?$", linear.MULTILINE)
_QUOTED_LINE = linear.compile(r"^[ \t]*>[^\n]*$", linear.MULTILINE)


# The verbs of _REPLY_HEADER, lowercased: one must be in the text for a header to be.
_REPLY_VERBS = (
    "wrote", "a écrit", "schrieb", "escribió", "ha scritto", "escreveu", "schreef", "skrev",
    "napisał",
)  # fmt: skip


@dataclass(frozen=True)
class Quoted:
    """Quoted history and signature in a body."""

    spans: list[Span]  # quoted history and the signature, merged
    history: bool  # quoted mail is there (a signature alone is not history)


def find_quoted(text: str) -> Quoted:
    """What of plain text is quoted history or a signature, each marker searched once."""
    dashes = "-" in text and "--" in text  # one character is found far faster than two
    colons = ":" in text
    if ">" not in text and not colons and not dashes:
        return Quoted([], False)  # every marker below needs one of these; most drafts have none
    # Each pattern only where its marker is: a substring test is far cheaper than a
    # search, and most drafts have a colon (a greeting, a time) but no quote at all.
    quoted_lines = (
        [(m.start(), m.end()) for m in _QUOTED_LINE.finditer(text)] if ">" in text else []
    )
    forward = _FORWARD_HEADER.search(text) if dashes or (colons and _forward_colon(text)) else None
    signature = _SIGNATURE.search(text) if dashes else None
    headers = (
        [m for m in _REPLY_HEADER.finditer(text) if _is_reply_header(m.group() or "")]
        if colons and _colon_ends_line(text) and any(w in text.lower() for w in _REPLY_VERBS)
        else []
    )
    spans = list(quoted_lines)
    cut = min((m.start() for m in (forward, signature) if m), default=len(text))
    for m in headers:
        if m.start() >= cut:
            break
        if _next_visible(text, m.end()) == ">":
            # Bottom-posting or inline replies: only the '>' lines are quotes, and the
            # writer's own answers between them stay in.
            spans.append((m.start(), m.end()))
        else:
            cut = m.start()
            break
    if cut < len(text):
        spans.append((cut, len(text)))
    history = bool(quoted_lines) or forward is not None or bool(headers)
    return Quoted(merge_spans(spans), history)


def _forward_colon(text: str) -> bool:
    """Whether a colon follows "message" or "from" (any case), as in every forward
    header without dashes ("Begin forwarded message:", "From: ...")."""
    at = text.find(":")
    while at != -1:
        if (
            text[max(0, at - 7) : at].lower() == "message"
            or text[max(0, at - 4) : at].lower() == "from"
        ):
            return True
        at = text.find(":", at + 1)
    return False


def _colon_ends_line(text: str) -> bool:
    """Whether a colon ends a line (spaces and tabs after it aside), as every reply
    header's does: most drafts' colons are inside a line ("research: I finished"), and
    this is cheaper than looking for each language's verb."""
    at = text.find(":")
    size = len(text)
    while at != -1:
        end = at + 1
        while end < size and text[end] in " \t":
            end += 1
        if end == size or text[end] == "\n":
            return True
        at = text.find(":", end)
    return False


def _next_visible(text: str, start: int) -> str:
    """The first character from `start` on that is not whitespace ('' if none). Each
    header's whitespace ends where the next header starts, so all calls are linear."""
    while start < len(text):
        visible = text[start : start + 256].lstrip()
        if visible:
            return visible[0]
        start += 256
    return ""


def _is_reply_header(line: str) -> bool:
    # Mail clients put a date or an address in the header; "On my blog I wrote:" has
    # neither and is the writer's own sentence.
    return "@" in line or any(c.isdigit() for c in line)


# A run of what Python's `\s` matches: one character class, so Python's engine runs it
# in linear time (see linear.tokenizer).
_SPACE_RUN = linear.tokenizer(r"\s+")
# A line break, white space without one, and another: where a blank line starts. The
# class between the breaks excludes them, so every character decides the next step.
_BLANK_LINE = linear.tokenizer(r"\n[^\S\n]*\n")
_T = TypeVar("_T")


# Every per-paragraph result of every rule shares this one budget: while someone types,
# their other paragraphs stay remembered, and no stream of distinct drafts can grow it.
# One entry per paragraph holds every function's result for it, so that a new paragraph
# costs one insertion and each result added later is charged to the entry.
def _slot_size(paragraph: Any, slot: Any) -> int:
    return sys.getsizeof(paragraph) + sys.getsizeof(slot) + 100


def _result_size(key: Any, value: Any) -> int:
    # Paid on every miss, so only one level deep: results are tuples of small tuples.
    size = sys.getsizeof(value) + 100
    if isinstance(key, tuple):
        size += 56 + sum(sys.getsizeof(k) for k in key[2:])
    if isinstance(value, tuple):
        for v in value:
            size += sys.getsizeof(v)
    return size


PARAGRAPH_MEMO: ByteLRU[dict[Any, Any]] = ByteLRU(
    32 * 2**20, size=_slot_size, name="analyzer_paragraphs"
)
_SPLITS: ByteLRU[tuple[tuple[int, str], ...]] = ByteLRU(
    4 * 2**20, size=lambda text, split: 2 * sys.getsizeof(text) + 120 * len(split)
)


def per_paragraph(function: Callable[..., _T]) -> Callable[..., _T]:
    """Remember a function of one paragraph's text (see `paragraphs`), in memory only.
    The paragraph is the last positional argument; on a method the instance is part of
    the key, so each pattern list has its own."""
    name = f"{function.__module__}.{function.__qualname__}"
    memo = PARAGRAPH_MEMO

    @wraps(function)
    def remembered(*args: Any, **options: Any) -> _T:
        paragraph = args[-1]
        if len(args) == 1 and not options:
            key: Any = name
        else:
            key = (name, *args[:-1], *sorted(options.items()))
        slot = memo.lookup(paragraph)
        if slot is not None:
            found = slot.get(key, _MISSING)
            if found is not _MISSING:
                memo.tally(True)
                return cast(_T, found)
        memo.tally(False)
        result = function(*args, **options)
        if slot is None:
            memo.put(paragraph, {key: result})
        else:
            slot[key] = result
        memo.charge(paragraph, _result_size(key, result))
        return result

    return remembered


_MISSING: Any = object()


def unremembered(function: Callable[..., _T]) -> Callable[..., _T]:
    """What `per_paragraph` wrapped, for a caller that keeps the result itself."""
    return cast(Callable[..., _T], vars(function)["__wrapped__"])


def forget_paragraphs() -> None:
    """Drop every remembered paragraph result: for cold-start benchmarks and tests."""
    PARAGRAPH_MEMO.clear()
    _SPLITS.clear()


def paragraphs(text: str, *, remember: bool = True) -> tuple[tuple[int, str], ...]:
    """The text's blank-line separated paragraphs, each with its offset.

    Per-paragraph results can be remembered between requests: while someone types,
    each request repeats every paragraph but the one being edited. The split itself is
    remembered too, since every rule asks for it on the same text (not with
    `remember=False`, for a text split once per request).
    """
    if not remember:
        return tuple(_split(text))
    cached = _SPLITS.get(text)
    if cached is not None:
        return cached
    result = tuple(_split(text))
    _SPLITS.put(text, result)
    return result


def _split(text: str) -> list[tuple[int, str]]:
    r"""What splitting at each match of `\n\s*\n` gives (leftmost, greedy): a break
    starts at the first line break followed by white space holding another, and runs
    to the last line break of that white space. Each character is looked at a bounded
    number of times."""
    found = []
    start = 0
    search = _BLANK_LINE.search
    at = search(text)
    while at is not None:
        run = _SPACE_RUN.match(text, at.end())
        last = text.rfind("\n", at.end() - 1, at.end() if run is None else run.end())
        found.append((start, text[start : at.start()]))
        start = last + 1
        at = search(text, start)
    found.append((start, text[start:]))
    return found


def merge_spans(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mask(text: str, spans: list[Span]) -> str:
    """The text with the spans blanked out, newlines kept, so offsets are unchanged."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append("\n".join(" " * len(line) for line in text[start:end].split("\n")))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# --- Line and column, for the command line and SARIF -----------------------------------


class LineIndex:
    """1-based line and column of a UTF-16 offset, the way editors and SARIF count."""

    def __init__(self, text: str) -> None:
        to16 = Utf16Index(text)
        self._starts = [0, *(to16(i + 1) for i, ch in enumerate(text) if ch == "\n")]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
