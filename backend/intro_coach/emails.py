"""Reading drafts from files: `.eml` (MIME), `.txt` and `.json` analyze requests."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec

from intro_coach.schema import AnalyzeRequest, Attachment, Body, Recipient

if TYPE_CHECKING:
    from email.message import EmailMessage

MAX_FILE_BYTES = 25 * 1024 * 1024  # Gmail's own attachment limit; anything bigger is not a draft


class UnreadableDraft(ValueError):
    """The file cannot be read as a draft; the message says why in one line."""


def _recipients(message: EmailMessage, header: str) -> list[Recipient]:
    from email.utils import getaddresses

    values = [str(v) for v in message.get_all(header, [])]
    return [Recipient(email=addr, name=name or None) for name, addr in getaddresses(values) if addr]


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        filename = part.get_filename()
        if not filename:
            continue  # inline images without a name are part of the body's layout
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else None
        found.append(Attachment(filename=filename, mime_type=part.get_content_type(), size=size))
    return found


def request_from_eml(data: bytes) -> AnalyzeRequest:
    # The email package's header parser takes longer to import than a text draft takes
    # to lint, so it is imported only for .eml files.
    import email
    import email.policy
    from email.message import EmailMessage

    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    if not message.keys():
        raise UnreadableDraft("no MIME headers found; is this an .eml file?")
    # Gmail composes in HTML; its text/plain twin is derived and may be a placeholder.
    part = message.get_body(preferencelist=("html", "plain"))
    body = Body(text="")
    if part is not None:
        try:
            content = part.get_content()
        except (LookupError, ValueError) as exc:
            raise UnreadableDraft(f"cannot decode the body: {exc}") from exc
        body = Body(html=content) if part.get_content_type() == "text/html" else Body(text=content)
    return AnalyzeRequest(
        subject=str(message.get("Subject", "")),
        body=body,
        to=_recipients(message, "To"),
        cc=_recipients(message, "Cc"),
        attachments=_attachments(message),
    )


def _txt(text: str) -> Loaded:
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject, text = first[len("subject:") :].strip(), rest.lstrip("\n")
        return Loaded(AnalyzeRequest(subject=subject, body=Body(text=text)), subject_known=True)
    # A snippet: no subject line means the subject is unknown, not empty.
    return Loaded(AnalyzeRequest(subject="", body=Body(text=text)), subject_known=False)


def request_from_txt(text: str) -> AnalyzeRequest:
    return _txt(text).request


@dataclass(frozen=True)
class Loaded:
    """A draft read from a file: the request, and whether it has a subject."""

    request: AnalyzeRequest
    subject_known: bool  # False for a text snippet that has no "Subject:" line


# An .eml starts with header lines ("Subject: ...", "MIME-Version: 1.0"); a text
# snippet's first line is prose, or just "Subject: ...".
_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]{0,76}:[ \t]")
_MIME_HEADERS = (b"mime-version:", b"content-type:", b"from:", b"to:", b"date:", b"message-id:")


def _looks_like_eml(data: bytes) -> bool:
    head = data.lstrip()[:4096].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) < 2 or not all(
        _HEADER_LINE.match(line) or line[:1] in (b" ", b"\t") for line in lines
    ):
        return False
    return any(line.lower().startswith(_MIME_HEADERS) for line in lines)


def read_bytes(data: bytes, suffix: str = "") -> Loaded:
    """A draft from its bytes: by `suffix` when given, else sniffed (.eml, JSON, text)."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDraft(f"draft is over {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if not suffix:
        stripped = data.lstrip()
        suffix = ".json" if stripped[:1] == b"{" else ".eml" if _looks_like_eml(data) else ".txt"
    try:
        if suffix == ".eml":
            return Loaded(request_from_eml(data).validated(), subject_known=True)
        text = data.decode("utf-8-sig")
        if suffix == ".json":
            return Loaded(AnalyzeRequest.model_validate(_json(text)), subject_known=True)
        loaded = _txt(text)
        return Loaded(loaded.request.validated(), loaded.subject_known)
    except UnicodeDecodeError:
        raise UnreadableDraft("not UTF-8 text") from None
    except msgspec.ValidationError as exc:
        # msgspec says "Expected `str`, got `int` - at `$.to[0].name`".
        problem, _, path = str(exc).partition(" - at `$")
        where = path.rstrip("`").lstrip(".").replace("[", ".").replace("]", "") or "request"
        raise UnreadableDraft(f"invalid request at {where}: {problem}") from None


def _json(text: str) -> object:
    import json  # only for .json drafts: milliseconds of every other linter run

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableDraft(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None


# os.path rather than pathlib, which imports urllib and ipaddress: milliseconds of each
# linter run.
def read_path(path: str | os.PathLike[str]) -> Loaded:
    try:
        with open(path, "rb") as file:
            if os.fstat(file.fileno()).st_size > MAX_FILE_BYTES:
                raise UnreadableDraft(f"file is over {MAX_FILE_BYTES // (1024 * 1024)} MiB")
            data = file.read()
    except OSError as exc:
        raise UnreadableDraft(exc.strerror or str(exc)) from exc
    suffix = os.path.splitext(path)[1].lower()
    return read_bytes(data, suffix if suffix in (".eml", ".json") else ".txt")


def load_request(path: str | os.PathLike[str]) -> AnalyzeRequest:
    return read_path(path).request
