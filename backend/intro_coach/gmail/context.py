"""What the mailbox says about a draft: did the recipient ask for a resume in the thread,
and who introduced the user and the recipient. Pure functions over Gmail API resources."""

from __future__ import annotations

import base64
import binascii
import html
import re
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from typing import Any

_RESUME = r"(?:r[eé]sum[eé]s?|\bcvs?\b|curriculum vitae)"
_RESUME_ASK = re.compile(
    r"\b(?:send|share|forward|attach|pass along|email|e-mail|include)\b[^.?!\n]{0,50}"
    + _RESUME
    + r"|"
    + _RESUME
    + r"[^.?!\n]{0,40}\?"
    + r"|\b(?:love|like|happy|glad|want) to (?:see|look at|review|read|have)\b[^.?!\n]{0,30}"
    + _RESUME,
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"\b(?:meet|introduc\w*|intro|e-?intro|connect(?:ing)? (?:you|the two)|looping in|"
    r"putting you in touch|put you in touch|you two should)\b",
    re.IGNORECASE,
)
_QUOTE_HEADER = re.compile(r"^\s*On .{0,200}wrote:\s*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Mail:
    sender_name: str
    sender_email: str
    recipients: tuple[tuple[str, str], ...]  # (name, email) from To and Cc
    subject: str
    text: str  # the new words: quoted replies removed


def _decode(data: str) -> str:
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _texts(part: dict[str, Any], plain: list[str], htmls: list[str]) -> None:
    if part.get("filename"):
        return  # an attachment
    mime = str(part.get("mimeType", ""))
    data = part.get("body", {}).get("data")
    if data and mime == "text/plain":
        plain.append(_decode(data))
    elif data and mime == "text/html":
        htmls.append(_decode(data))
    for child in part.get("parts", []) or []:
        _texts(child, plain, htmls)


def _new_words(text: str) -> str:
    quote = _QUOTE_HEADER.search(text)
    if quote:
        text = text[: quote.start()]
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def parse(message: dict[str, Any]) -> Mail:
    payload = message.get("payload", {}) or {}
    headers = {h["name"].lower(): h["value"] for h in payload.get("headers", []) if "name" in h}
    name, addr = parseaddr(headers.get("from", ""))
    recipients = tuple(
        (n.strip(), e.strip().lower())
        for n, e in getaddresses([headers.get("to", ""), headers.get("cc", "")])
        if e
    )
    plain: list[str] = []
    htmls: list[str] = []
    _texts(payload, plain, htmls)
    if plain:
        text = "\n".join(plain)
    else:
        text = html.unescape(
            _TAG.sub(" ", re.sub(r"(?is)<blockquote.*?</blockquote>", "", "\n".join(htmls)))
        )
    return Mail(
        name.strip(), addr.strip().lower(), recipients, headers.get("subject", ""), _new_words(text)
    )


def thread_asks_for_resume(thread: dict[str, Any], user_email: str) -> bool:
    """True when someone other than the user asked, in this thread, for a resume or CV."""
    for message in thread.get("messages", []) or []:
        mail = parse(message)
        if mail.sender_email != user_email.lower() and _RESUME_ASK.search(mail.text):
            return True
    return False


def _name_from_address(address: str) -> str:
    local = address.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w.isalpha()]
    return " ".join(w.capitalize() for w in words) if len(words) >= 2 else ""


def _named(text: str, name: str) -> bool:
    parts = [p for p in re.split(r"\s+", name.strip()) if len(p) >= 2]
    if not parts:
        return False
    full = re.search(r"\b" + r"\s+".join(map(re.escape, parts)) + r"\b", text, re.IGNORECASE)
    first = re.search(r"\b" + re.escape(parts[0]) + r"\b", text)
    return bool(full or (len(parts[0]) >= 3 and first))


def introducer(
    messages: list[dict[str, Any]], user_email: str, recipient_email: str, recipient_name: str
) -> str | None:
    """The sender of the newest message that introduces the user and the recipient: the
    recipient is in To/Cc or named in it, the user received it, and it reads as an
    introduction ("Jane, meet Jordan")."""
    user = user_email.lower()
    recipient = recipient_email.lower()
    for message in messages:
        mail = parse(message)
        if not mail.sender_email or mail.sender_email in (user, recipient):
            continue
        addresses = {e for _, e in mail.recipients}
        if user not in addresses:
            continue
        names = [recipient_name] if recipient_name else []
        names += [n for n, e in mail.recipients if e == recipient and n]
        recipient_there = (recipient and recipient in addresses) or any(
            _named(mail.text, n) for n in names
        )
        body = mail.subject + "\n" + mail.text
        if recipient_there and _INTRO.search(body):
            return mail.sender_name or _name_from_address(mail.sender_email) or None
    return None


def search_query(recipient_email: str, recipient_name: str) -> str:
    terms = [f'"{t}"' for t in (recipient_email, recipient_name) if t and '"' not in t]
    return "{" + " ".join(terms) + "} -from:me newer_than:3y"
