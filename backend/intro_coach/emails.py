"""Reading drafts from files: `.eml` (MIME), `.txt` and `.json` analyze requests."""

from __future__ import annotations

import email
import email.policy
import json
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from pydantic import ValidationError

from intro_coach.schema import AnalyzeRequest, Attachment, Body, Recipient

MAX_FILE_BYTES = 25 * 1024 * 1024  # Gmail's own attachment limit; anything bigger is not a draft


class UnreadableDraft(ValueError):
    """The file cannot be read as a draft; the message says why in one line."""


def _recipients(message: EmailMessage, header: str) -> list[Recipient]:
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


def request_from_txt(text: str) -> AnalyzeRequest:
    subject = ""
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject, text = first[len("subject:") :].strip(), rest.lstrip("\n")
    return AnalyzeRequest(subject=subject, body=Body(text=text))


def load_request(path: Path) -> AnalyzeRequest:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UnreadableDraft(f"file is over {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDraft(exc.strerror or str(exc)) from exc
    suffix = path.suffix.lower()
    try:
        if suffix == ".eml":
            return request_from_eml(data)
        text = data.decode("utf-8-sig")
        if suffix == ".json":
            return AnalyzeRequest.model_validate(json.loads(text))
        return request_from_txt(text)
    except UnicodeDecodeError:
        raise UnreadableDraft("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UnreadableDraft(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "request"
        raise UnreadableDraft(f"invalid request at {where}: {first['msg']}") from None
