"""What the mailbox says about a draft: did the recipient ask for a resume in the thread,
and who introduced the user and the recipient. Pure functions over Gmail API resources
(`format=full`, or `format=metadata` where only headers are needed); the Gmail
round trips are in `lookup.py`.

Mailbox messages are hostile input: every message is cut to a byte budget before it is
decoded, text is split into lines once and each line is looked at a bounded number of
times, and every pattern is RE2-compatible with bounded repetition, so that reading a
message is linear in its (capped) size whatever it holds.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import html
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.utils import parseaddr
from importlib import resources
from typing import Any

import yaml

from intro_coach import linear

MAX_TEXT_BYTES = 32 * 1024  # of one message's text: an introduction is short
MAX_HEADER_CHARS = 4096  # of one header value (To lists included)
MAX_ADDRESS_CHARS = 320  # of one entry of an address list
MAX_ADDRESSES = 200  # entries read from one address header
MAX_LINE_CHARS = 1000  # a longer line is cut before any pattern sees it
MAX_PARTS = 64  # MIME parts visited per message
MAX_DEPTH = 8  # MIME nesting
MAX_QUOTED_HEADER_LINES = 12  # header lines read after a forward/quote marker
MAX_THREAD_MESSAGES = 500  # messages of one thread looked at
_RE_LINE = 200  # characters of a line a quote-header pattern may look at

# Headers the finder needs; `lookup.py` asks Gmail for exactly these (format=metadata).
METADATA_HEADERS = (
    "From",
    "To",
    "Cc",
    "Bcc",
    "Subject",
    "Date",
    "List-Id",
    "Precedence",
    "Auto-Submitted",
    "X-Autoreply",
    "X-Autorespond",
    "Content-Type",
)

# Every pattern here runs on RE2 (`intro_coach.linear`): linear in the text by
# construction. RE2's \b is ASCII, so word boundaries are spelt with `_EDGE`.
_EDGE = f"(?:^|{linear.NOT_WORD})"
_END = f"(?:{linear.NOT_WORD}|$)"
_RESUME = rf"(?:r[eé]sum[eé]s?|{_EDGE}cvs?{_END}|curriculum vitae)"
_RESUME_ASK = linear.compile(
    rf"{_EDGE}(?:send|share|forward|attach|pass along|email|e-mail|include){_END}"
    rf"[^.?!\n]{{0,50}}{_RESUME}"
    rf"|{_RESUME}[^.?!\n]{{0,40}}\?"
    rf"|{_EDGE}(?:love|like|happy|glad|want) to (?:see|look at|review|read|have){_END}"
    rf"[^.?!\n]{{0,30}}{_RESUME}",
    linear.IGNORECASE,
)
_FORWARD_MARKERS = (
    "---------- forwarded message",
    "begin forwarded message",
    "-----original message-----",
    "________________________________",
)
_HEADER_LINE = linear.compile(
    r"^[ \t*>]{0,8}(from|to|cc|sent|date|subject)[ \t*]{0,4}:[ \t*]{0,4}(.*)$",
    linear.IGNORECASE,
)
_REPLY_SUBJECT = linear.compile(
    r"^[ \t]{0,8}(?:re|aw|sv|antw)[ \t]{0,4}(?:\[\d{1,4}\])?[ \t]{0,4}:", linear.IGNORECASE
)
_CLOCK = linear.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?(?: Uhr)?")
_UPPER_START = "A-ZÀ-ÖØ-ÞĀ-ſ"


@dataclass(frozen=True)
class Mail:
    sender_name: str  # as written, unquoted and decoded: "Smith, Sally", or ""
    sender_email: str
    recipients: tuple[tuple[str, str], ...]  # (name, email) from To, Cc and Bcc
    subject: str
    text: str  # the new words: quoted replies and forwarded messages removed
    quoted: str = ""  # what was removed (bounded)
    # Whoever the quoted and forwarded parts name in their headers: (name, email, role)
    # with role "from", "to" or "cc".
    quoted_people: tuple[tuple[str, str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()  # lower-cased names, capped values
    id: str = ""
    thread_id: str = ""
    date: int = 0  # Gmail's internalDate, ms since the epoch
    has_calendar: bool = False

    def header(self, name: str) -> str:
        for key, value in self.headers:
            if key == name:
                return value
        return ""


# --- the word lists (introductions.yaml) ---


def _alternatives(patterns: Iterable[str]) -> str:
    return "|".join(p.replace("'", "['’]").replace(" ", r"\s+") for p in patterns)


@dataclass(frozen=True)
class Words:
    phrases: linear.Regex
    meet_name: linear.Regex
    before_name: linear.Regex
    after_name: linear.Regex
    not_before_meet: frozenset[str]
    calendar_subjects: tuple[str, ...]
    closings: frozenset[str]
    quote_starts: tuple[str, ...]
    quote_verbs: tuple[str, ...]
    suffixes: frozenset[str]
    not_names: frozenset[str]
    examples: dict[str, Any]


@functools.cache
def words() -> Words:
    source = resources.files("intro_coach.gmail").joinpath("introductions.yaml")
    data = yaml.safe_load(source.read_text("utf-8"))
    between = "|".join(linear.escape(w) for w in data["between"])
    after = "|".join(p.replace(" ", r"[ \t]{1,4}") for p in data["after_name"])
    return Words(
        phrases=linear.compile(
            f"(?:{_alternatives(data['phrases'])})", linear.IGNORECASE, whole_words=True
        ),
        meet_name=linear.compile(
            _EDGE + "(?i:" + linear.escape(data["meet"]) + r")[ \t]{1,4}[" + _UPPER_START + "]"
        ),
        # Applied to at most 80 characters just before a name (see `_names_introduced`).
        before_name=linear.compile(
            f"{_EDGE}(?P<said>{_alternatives(data['before_name'])})"
            rf"(?:[ \t]{{1,4}}(?:{between})){{0,3}}[ \t]{{0,4}},?[ \t]{{0,4}}$",
            linear.IGNORECASE,
        ),
        after_name=linear.compile(f"^(?:{after}){_END}", linear.IGNORECASE),
        not_before_meet=frozenset(w.replace("’", "'") for w in data["not_before_meet"]),
        calendar_subjects=tuple(s.casefold() for s in data["calendar_subjects"]),
        closings=frozenset(c.casefold() for c in data["closings"]),
        quote_starts=tuple(x.casefold() for x in data["quote_headers"]["starts"]),
        quote_verbs=tuple(x.casefold() for x in data["quote_headers"]["verbs"]),
        suffixes=frozenset(s.casefold().rstrip(".") for s in data["suffixes"]),
        not_names=frozenset(s.casefold().rstrip(".") for s in data["not_names"]),
        examples=data["examples"],
    )


# --- reading a message, within bounds ---


def _decode(data: str, budget: int) -> str:
    # Cut the base64 before decoding: a huge part costs no more than the budget.
    data = data[: (budget * 4) // 3 + 4]
    data = data[: len(data) - len(data) % 4] if len(data) % 4 == 1 else data
    try:
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return ""
    return raw[:budget].decode("utf-8", "replace")


def _parts(payload: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The MIME tree, depth first, at most MAX_PARTS parts and MAX_DEPTH levels."""
    stack: list[tuple[dict[str, Any], int]] = [(payload, 0)]
    seen = 0
    while stack and seen < MAX_PARTS:
        part, depth = stack.pop()
        if not isinstance(part, dict):
            continue
        seen += 1
        yield part
        children = part.get("parts") or []
        if depth < MAX_DEPTH and isinstance(children, list):
            stack.extend((child, depth + 1) for child in reversed(children[:MAX_PARTS]))


def html_to_text(markup: str) -> tuple[str, str]:
    """(new words, quoted words) of an HTML body, in one linear pass: tags become spaces,
    and everything from the first <blockquote> or Gmail quote block on is quoted."""
    out: list[str] = []
    pos = 0
    quoted_from: int | None = None
    length = len(markup)
    while pos < length:
        lt = markup.find("<", pos)
        if lt < 0:
            out.append(markup[pos:])
            break
        out.append(markup[pos:lt])
        gt = markup.find(">", lt + 1)
        if gt < 0:
            break  # an unclosed tag: the rest is markup, not words
        tag = markup[lt + 1 : min(gt, lt + 200)].casefold()
        if quoted_from is None and (
            tag.startswith("blockquote") or "gmail_quote" in tag or 'id="divrplyfwdmsg"' in tag
        ):
            quoted_from = sum(len(s) for s in out)
        name = tag.split(None, 1)[0] if tag.split() else ""
        out.append("\n" if name.strip("/") in ("br", "p", "div", "li", "tr", "br/") else " ")
        pos = gt + 1
    text = "".join(out)
    if quoted_from is None:
        return html.unescape(text), ""
    return html.unescape(text[:quoted_from]), html.unescape(text[quoted_from:])


def _header_value(value: object) -> str:
    text = str(value)[:MAX_HEADER_CHARS]
    if "=?" in text:  # RFC 2047 encoded words: "=?UTF-8?Q?Ren=C3=A9e?="
        with contextlib.suppress(ValueError, LookupError, UnicodeError):
            text = str(make_header(decode_header(text)))
    return text.replace("\r", " ").replace("\n", " ")


def _strip_comments(value: str) -> str:
    """An address header without its (comments), in one pass: the standard library's
    address parser recurses once per nested "(" and overflows the stack on a header of
    a few thousand of them."""
    out: list[str] = []
    depth = 0
    quoted = False
    for char in value:
        if char == '"' and depth == 0:
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
            continue
        elif not quoted and char == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(char)
    return "".join(out)


def _split_addresses(value: str) -> list[str]:
    """The entries of an address list, split at commas outside quotes and <...>, in one
    pass (the standard library's list parser is quadratic on some inputs)."""
    pieces: list[str] = []
    start = 0
    quoted = angle = escaped = False
    for i, char in enumerate(value):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and char == "<":
            angle = True
        elif not quoted and char == ">":
            angle = False
        elif not quoted and not angle and char == ",":
            pieces.append(value[start:i])
            start = i + 1
    pieces.append(value[start:])
    return pieces


def addresses(*values: str) -> list[tuple[str, str]]:
    """(name, email) pairs from address headers such as To and Cc, emails lower-cased;
    entries without an address are left out. Each entry is parsed on its own, cut to
    MAX_ADDRESS_CHARS, so a hostile header costs time in proportion to its length."""
    found = []
    for value in values:
        for piece in _split_addresses(_strip_comments(value[:MAX_HEADER_CHARS]))[:MAX_ADDRESSES]:
            name, email = parseaddr(piece[:MAX_ADDRESS_CHARS])
            if "@" in email:
                found.append((name.strip(), email.strip().lower()))
    return found


def _quote_header_text(line: str, following: str) -> str | None:
    """The text of a reply's quote header ("On Mon, 3 Nov 2025 at 09:12, Sally
    <sally@x.com> wrote:", "Le lun. 3 nov. 2025, Sally <...> a écrit :", "Am ... schrieb
    Sally <...>:"), joined with the next line when wrapped; None when it is not one."""
    w = words()
    stripped = line.strip()[:_RE_LINE]
    folded = stripped.casefold()
    if not any(folded.startswith(start + " ") for start in w.quote_starts):
        return None
    if not folded.endswith(":") and len(stripped) < _RE_LINE:
        stripped = stripped + " " + following.strip()[:_RE_LINE]
        folded = stripped.casefold()
    if not folded.endswith(":") or not any(verb in folded for verb in w.quote_verbs):
        return None
    return stripped


def _quote_author(header: str) -> tuple[str, str] | None:
    lt = header.rfind("<")
    gt = header.rfind(">")
    if lt < 0 or gt < lt:
        return None
    email = header[lt + 1 : gt].strip().lower()
    before = header[:lt].strip()
    folded = before.casefold()
    verb_at = max(
        (folded.rfind(v) + len(v) for v in words().quote_verbs if v in folded), default=-1
    )
    if verb_at > 0:  # "... schrieb Sally Smith <...>:": the name follows the verb
        name = before[verb_at:].strip()
    else:  # "On Mon, Nov 3, 2025 at 9:12 AM Sally Smith <...> wrote:": after the time
        times = [m.end() for m in _CLOCK.finditer(before)]
        last = times[-1] if times else (before.rfind(",") + 1 or len(before))
        name = before[last:]
    name = name.strip(" ,(\"'")
    return (name, email) if "@" in email else None


def split_quoted(text: str) -> tuple[str, str, tuple[tuple[str, str, str], ...]]:
    """(new words, quoted and forwarded words, the people their headers name), reading
    each line once. The new words end at the first quote header, forward marker or
    `>` line."""
    lines = text.split("\n")
    new: list[str] = []
    quoted_start: int | None = None
    people: list[tuple[str, str, str]] = []
    for i, raw in enumerate(lines):
        line = raw[:MAX_LINE_CHARS]
        if not line.strip():
            if quoted_start is None:
                new.append("")
            continue
        following = lines[i + 1][:MAX_LINE_CHARS] if i + 1 < len(lines) else ""
        lowered = line.strip().casefold()
        marker = lowered.startswith(">") or any(m in lowered for m in _FORWARD_MARKERS)
        header = _quote_header_text(line, following)
        if header is not None:
            author = _quote_author(header)
            if author:
                people.append((author[0], author[1], "from"))
            marker = True
        if marker and quoted_start is None:
            quoted_start = i
        if quoted_start is None:
            new.append(line)
            continue
        if marker and not lowered.startswith(">"):
            people.extend(_forwarded_headers(lines, i + 1))
    quoted = ""
    if quoted_start is not None:
        quoted = "\n".join(x[:MAX_LINE_CHARS] for x in lines[quoted_start:])
    return "\n".join(new).strip(), quoted, tuple(people)


def _forwarded_headers(lines: Sequence[str], start: int) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for line in lines[start : start + MAX_QUOTED_HEADER_LINES]:
        m = _HEADER_LINE.match(line[:MAX_LINE_CHARS])
        if not m:
            continue
        field = (m.group(1) or "").casefold()
        if field in ("from", "to", "cc"):
            found += [(name, email, field) for name, email in addresses(m.group(2) or "")]
    return found


def parse(message: dict[str, Any]) -> Mail:
    """A Gmail message resource (format=full or metadata) as a Mail, reading at most
    MAX_TEXT_BYTES of its text."""
    payload = message.get("payload") or {}
    headers: list[tuple[str, str]] = []
    for h in (payload.get("headers") or [])[:200]:
        if isinstance(h, dict) and "name" in h:
            headers.append((str(h["name"]).casefold(), _header_value(h.get("value", ""))))
    first: dict[str, str] = {}
    for key, value in headers:
        first.setdefault(key, value)
    sender = addresses(first.get("from", ""))[:1]
    name, addr = sender[0] if sender else ("", "")
    recipients = tuple(addresses(*(first.get(k, "") for k in ("to", "cc", "bcc"))))
    plain: list[str] = []
    htmls: list[str] = []
    budget = MAX_TEXT_BYTES
    calendar = str(payload.get("mimeType", "")).startswith("text/calendar")
    for part in _parts(payload):
        mime = str(part.get("mimeType", "")).casefold()
        if mime in ("text/calendar", "application/ics"):
            calendar = True
        if part.get("filename") or budget <= 0:
            continue  # an attachment, or enough read
        data = (part.get("body") or {}).get("data")
        if not isinstance(data, str) or mime not in ("text/plain", "text/html"):
            continue
        decoded = _decode(data, budget)
        budget -= len(decoded.encode("utf-8", "replace"))
        (plain if mime == "text/plain" else htmls).append(decoded)
    if any(p.strip() for p in plain):  # an empty text part beside HTML says nothing
        text, quoted, people = split_quoted("\n".join(plain).replace("\r\n", "\n"))
    elif htmls:
        fresh, old = html_to_text("\n".join(htmls))
        text, more, people = split_quoted(fresh)
        quoted = (more + "\n" + old).strip()
    else:
        text, quoted, people = "", "", ()
    try:
        date = int(message.get("internalDate", 0))
    except (TypeError, ValueError):
        date = 0
    return Mail(
        sender_name=_unquote(name),
        sender_email=addr.strip().lower(),
        recipients=recipients,
        subject=first.get("subject", ""),
        text=text,
        quoted=quoted,
        quoted_people=people,
        headers=tuple(headers),
        id=str(message.get("id", "")),
        thread_id=str(message.get("threadId", "")),
        date=date,
        has_calendar=calendar,
    )


# --- what kind of mail it is ---


def is_bulk(mail: Mail) -> bool:
    """Newsletters, mailing lists, automated mail and calendar invitations: never an
    introduction, whoever they name."""
    if mail.header("list-id") or mail.has_calendar:
        return True
    if mail.header("precedence").strip().casefold() in ("bulk", "list", "junk"):
        return True
    auto = mail.header("auto-submitted").strip().casefold()
    if auto and auto != "no":
        return True
    if mail.header("x-autoreply") or mail.header("x-autorespond"):
        return True
    if "text/calendar" in mail.header("content-type").casefold():
        return True
    subject = mail.subject.strip().casefold()
    return any(subject.startswith(s + ":") for s in words().calendar_subjects)


def is_reply(subject: str) -> bool:
    return bool(_REPLY_SUBJECT.match(subject[:_RE_LINE]))


# --- names ---


def _unquote(name: str) -> str:
    return " ".join(name.split()).strip("\"'‘’“” ")


def display_name(raw: str, email: str = "") -> str | None:
    """The name of a person as a subject line would write it, from a display name as
    people write them ("Smith, Sally", '"Sally Smith (Acme)"', "Ludwig van Beethoven",
    "King, Martin Luther, Jr."), or None when it is not clearly a person's name."""
    w = words()
    name = _unquote(raw)
    cut = name.find("(")
    if cut > 0:
        name = name[:cut]
    for sep in (" | ", " via ", " - ", " – ", " — "):
        if sep in name:
            name = name.split(sep, 1)[0]
    name = _unquote(name.strip())
    if not name or "@" in name or not any(c.isalpha() for c in name):
        return None
    parts = [p.strip() for p in name.split(",")]
    if any(not p for p in parts) or len(parts) > 3:
        return None
    suffix = [p for p in parts[1:] if p.casefold().rstrip(".") in w.suffixes]
    rest = [p for p in parts[1:] if p.casefold().rstrip(".") not in w.suffixes]
    if len(rest) > 1:
        return None
    if rest:  # "Smith, Sally" or "Smith Jr., John"
        surname = parts[0].split()
        while surname and surname[-1].casefold().rstrip(".") in w.suffixes:
            suffix.insert(0, surname.pop())
        name = " ".join([rest[0], *surname, *suffix])
    else:
        name = " ".join([parts[0], *suffix])
    name = " ".join(name.split())
    tokens = [t.casefold().rstrip(".") for t in name.split()]
    if any(t in w.not_names for t in tokens):
        return None
    local = email.split("@", 1)[0].casefold()
    if local and name.casefold() == local:
        return None  # the address again, not a name
    return name


def signature_name(mail: Mail) -> str | None:
    """The name under a closing ("Best,\\nSally Smith"), when it is clearly the sender's:
    one of its words is in the sender's address."""
    lines = [line.strip() for line in mail.text.split("\n")[-40:] if line.strip()]
    local = mail.sender_email.split("@", 1)[0].casefold()
    for i, line in enumerate(lines):
        closing = line.casefold().rstrip(",.!").strip()
        candidate = ""
        if closing in words().closings and i + 1 < len(lines):
            candidate = lines[i + 1]
        elif line[:1] in "-—–" and 1 < len(line) < 40:
            candidate = line.lstrip("-—– ")
        tokens = candidate.split()
        if not 1 <= len(tokens) <= 4 or len(candidate) > 40:
            continue
        if not all(
            t[:1].isupper() and t.replace("-", "").replace("'", "").replace(".", "").isalpha()
            for t in tokens
        ):
            continue
        if any(len(t) >= 3 and _fold(t) in _fold(local) for t in tokens):
            return candidate
    return None


def _letters(word: str) -> str:
    return word.replace("-", "").replace("'", "").replace("’", "").replace(".", "")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sender_name(mail: Mail) -> str | None:
    """Who sent it, as a name to put in a subject; None rather than a guess."""
    return display_name(mail.sender_name, mail.sender_email) or signature_name(mail)


# --- introductions ---


@dataclass(frozen=True)
class Introduction:
    """A message that introduced the user and the recipient."""

    introducer: str | None  # their name, None when the message gives only an address
    introducer_email: str
    message_id: str
    thread_id: str
    date: int


def _name_variants(name: str) -> list[str]:
    parts = name.split()
    variants = [name] if len(parts) > 1 else []
    if parts and len(parts[0]) >= 3:
        variants.append(parts[0])
    return variants


# No one's name is longer. A longer "name" from a header is not looked for: each distinct
# name costs a compiled pattern in the cache below, whose 256 entries stay small this way.
MAX_NAME_CHARS = 100


@functools.lru_cache(maxsize=256)
def _name_pattern(name: str) -> linear.Regex:
    words = r"\s+".join(map(linear.escape, name.split()))
    return linear.compile(words, linear.IGNORECASE, whole_words=True)


def _names_introduced(text: str, names: Sequence[str]) -> bool:
    """Whether the text introduces someone by one of these names ("meet Jordan",
    "Jordan, meet Jane", "looping in my colleague Jordan"), not merely mentions them."""
    w = words()
    for name in names:
        if len(name) > MAX_NAME_CHARS:
            continue
        for count, m in enumerate(_name_pattern(name).finditer(text[:MAX_TEXT_BYTES])):
            if count >= 50:
                break
            line_start = text.rfind("\n", max(0, m.start() - 80), m.start()) + 1
            window = text[max(line_start, m.start() - 80) : m.start()]
            before = w.before_name.search(window)
            if before:
                said = (before.group("said") or "").split()[0].casefold()
                ahead = window[: before.start()].casefold().replace("’", "'").split()[-2:]
                if not (said == "meet" and any(x in w.not_before_meet for x in ahead)):
                    return True
            if w.after_name.match(text[m.end() : m.end() + 40]):
                return True
    return False


def reads_as_introduction(text: str) -> bool:
    w = words()
    return bool(w.phrases.search(text) or w.meet_name.search(text))


def _classify(
    mail: Mail, user: str, recipient: str, names: Sequence[str]
) -> tuple[str, str] | None:
    """(introducer name as written, introducer email) when this message introduces the
    user and the recipient."""
    if not mail.sender_email or mail.sender_email in (user, recipient) or is_bulk(mail):
        return None
    addressed = {e for _, e in mail.recipients}
    in_quote = {e for _, e, _ in mail.quoted_people}
    all_names = list(names) + [
        n for n, e in mail.recipients if e == recipient and n and display_name(n)
    ]
    variants = [v for n in all_names for v in _name_variants(display_name(n) or n)]
    own = mail.text if is_reply(mail.subject) else mail.subject + "\n" + mail.text
    sender = (mail.sender_name, mail.sender_email)
    if recipient and (recipient in addressed or recipient in in_quote):
        if reads_as_introduction(own) or _names_introduced(own, variants):
            return sender
    elif _names_introduced(own, variants):
        return sender
    # A reply or forward whose quoted part is the introduction: its author introduced.
    if mail.quoted and (recipient in addressed or recipient in in_quote):
        authors = [(n, e) for n, e, role in mail.quoted_people if role == "from"]
        author = next((a for a in authors if a[1] not in (user, recipient)), None)
        if author and (reads_as_introduction(mail.quoted[:MAX_TEXT_BYTES])):
            if author[1] == mail.sender_email:
                return sender
            return author
    return None


def introductions(
    messages: Iterable[dict[str, Any] | Mail],
    user_email: str,
    recipient_email: str,
    recipient_name: str,
) -> list[Introduction]:
    """Every message here that introduces the user and the recipient, newest first."""
    user, recipient = user_email.lower(), recipient_email.lower()
    name = display_name(recipient_name, recipient) if recipient_name else None
    names = [name] if name else []
    found = []
    for message in messages:
        mail = message if isinstance(message, Mail) else parse(message)
        who = _classify(mail, user, recipient, names)
        if who is None:
            continue
        name_raw, email = who
        name = sender_name(mail) if email == mail.sender_email else display_name(name_raw, email)
        found.append(Introduction(name, email, mail.id, mail.thread_id, mail.date))
    found.sort(key=lambda i: i.date, reverse=True)
    return found


def introducer(
    messages: Sequence[dict[str, Any] | Mail],
    user_email: str,
    recipient_email: str,
    recipient_name: str,
) -> str | None:
    """The name of whoever sent the newest introduction of the user and the recipient."""
    found = introductions(messages, user_email, recipient_email, recipient_name)
    return found[0].introducer if found else None


def thread_asks_for_resume(thread: dict[str, Any], user_email: str) -> bool:
    """True when someone other than the user asked, in this thread, for a resume or CV."""
    user = user_email.lower()
    for message in (thread.get("messages") or [])[-MAX_THREAD_MESSAGES:]:
        mail = parse(message)
        if mail.sender_email != user and asks_for_resume(mail.text):
            return True
    return False


def asks_for_resume(text: str) -> bool:
    return any(_RESUME_ASK.search(line[:MAX_LINE_CHARS]) for line in text.split("\n"))


def search_query(recipient_email: str, recipient_name: str) -> str:
    """Mail that names or copies the recipient, not written by the user or the
    recipient (their own replies would crowd the introduction out), newest first."""
    email = recipient_email.strip().lower()
    safe = email and all(c not in email for c in '"{}() ')
    terms = [f"to:{email}", f"cc:{email}", f'"{email}"'] if safe else []
    name = " ".join(recipient_name.split())
    if name and all(c not in name for c in '"{}()'):
        terms.append(f'"{name}"')
        first = name.split()[0]
        if len(name.split()) > 1 and len(first) >= 3:
            terms.append(f'"{first}"')
    if not terms:
        return ""
    exclude = f" -from:{email}" if safe else ""
    return "{" + " ".join(terms) + "} -from:me" + exclude + " newer_than:3y"
