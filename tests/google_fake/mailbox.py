"""Gmail messages shaped as the Gmail API returns them (format=full)."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

_ids = itertools.count(0x18C0_0000_0000_0000)
# Messages are dated in the order they are made, a minute apart from 60 days ago: a
# mailbox built in order reads oldest to newest, as Gmail sorts it.
_minutes = itertools.count()
_EPOCH = datetime.now(UTC) - timedelta(days=60)
_field_cache: dict[tuple[object, ...], str] = {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _part(part_id: str, mime: str, data: bytes, filename: str = "") -> dict[str, Any]:
    headers = [{"name": "Content-Type", "value": f'{mime}; charset="UTF-8"'}]
    if filename:
        headers = [
            {"name": "Content-Type", "value": f'{mime}; name="{filename}"'},
            {"name": "Content-Disposition", "value": f'attachment; filename="{filename}"'},
            {"name": "Content-Transfer-Encoding", "value": "base64"},
        ]
        return {
            "partId": part_id,
            "mimeType": mime,
            "filename": filename,
            "headers": headers,
            "body": {"attachmentId": "ANGjdJ" + b64url(filename.encode()), "size": len(data)},
        }
    return {
        "partId": part_id,
        "mimeType": mime,
        "filename": "",
        "headers": headers,
        "body": {"size": len(data), "data": b64url(data)},
    }


@dataclass
class Message:
    sender: str
    to: list[str]
    subject: str
    text: str
    cc: list[str] = field(default_factory=list)
    html: str | None = None
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    thread_id: str | None = None
    labels: list[str] = field(default_factory=lambda: ["INBOX"])
    when: datetime | None = None  # default: a minute after the previous message made
    bcc: list[str] = field(default_factory=list)  # only in the sender's own copy
    extra_headers: list[tuple[str, str]] = field(default_factory=list)  # List-Id...
    id: str = field(default_factory=lambda: format(next(_ids), "x"))

    def __post_init__(self) -> None:
        if self.thread_id is None:
            self.thread_id = self.id
        if self.when is None:
            self.when = _EPOCH + timedelta(minutes=next(_minutes))

    @property
    def internal_date(self) -> int:
        assert self.when is not None
        return int(self.when.timestamp() * 1000)

    def headers(self) -> list[dict[str, str]]:
        assert self.when is not None
        headers = [
            {"name": "MIME-Version", "value": "1.0"},
            {"name": "Date", "value": format_datetime(self.when)},
            {"name": "Message-ID", "value": f"<{self.id}@mail.example.com>"},
            {"name": "Subject", "value": self.subject},
            {"name": "From", "value": self.sender},
            {"name": "To", "value": ", ".join(self.to)},
        ]
        if self.cc:
            headers.append({"name": "Cc", "value": ", ".join(self.cc)})
        if self.bcc:
            headers.append({"name": "Bcc", "value": ", ".join(self.bcc)})
        headers += [{"name": k, "value": v} for k, v in self.extra_headers]
        return headers

    def payload(self) -> dict[str, Any]:
        text_part = _part("0", "text/plain", self.text.encode())
        body: dict[str, Any] = text_part
        if self.html is not None:
            body = {
                "partId": "0",
                "mimeType": "multipart/alternative",
                "filename": "",
                "headers": [
                    {"name": "Content-Type", "value": 'multipart/alternative; boundary="b1"'}
                ],
                "body": {"size": 0},
                "parts": [
                    {**text_part, "partId": "0.0"},
                    _part("0.1", "text/html", self.html.encode()),
                ],
            }
        if not self.attachments:
            if self.html is None:
                # A single-part message: the body sits in the payload itself.
                return {**text_part, "partId": "", "headers": self.headers() + text_part["headers"]}
            return {**body, "partId": "", "headers": self.headers() + body["headers"]}
        parts = [body] + [
            _part(str(i + 1), mime, data, filename)
            for i, (filename, mime, data) in enumerate(self.attachments)
        ]
        return {
            "partId": "",
            "mimeType": "multipart/mixed",
            "filename": "",
            "headers": [
                *self.headers(),
                {"name": "Content-Type", "value": 'multipart/mixed; boundary="b0"'},
            ],
            "body": {"size": 0},
            "parts": parts,
        }

    def resource(self, fmt: str = "full", headers: Iterable[str] | None = None) -> dict[str, Any]:
        """As `messages.get` answers: `fmt` is full, metadata (only the `headers` named,
        all when none is) or minimal."""
        resource: dict[str, Any] = {
            "id": self.id,
            "threadId": self.thread_id,
            "labelIds": self.labels,
            "snippet": " ".join(self.text.split())[:100],
            "sizeEstimate": 2048 + len(self.text),
            "historyId": "91234",
            "internalDate": str(self.internal_date),
        }
        if fmt == "minimal":
            return resource
        payload = self.payload()
        if fmt == "metadata":
            wanted = {h.casefold() for h in headers or ()}
            kept = [h for h in payload["headers"] if not wanted or h["name"].casefold() in wanted]
            payload = {"partId": "", "mimeType": payload["mimeType"], "filename": ""}
            payload["headers"] = kept
        resource["payload"] = payload
        return resource

    def field_text(self, name: str) -> str:
        """One searchable field, case-folded: from, to, cc, bcc, subject or all."""
        key = (self.id, name, self.sender, self.subject, len(self.text))
        cached = _field_cache.get(key)
        if cached is None:
            cached = _field_cache[key] = self._field_text(name)
        return cached

    def _field_text(self, name: str) -> str:
        fields = {
            "from": [self.sender],
            "to": self.to,
            "cc": self.cc,
            "bcc": self.bcc,
            "subject": [self.subject],
        }
        if name == "all":
            return "\n".join(
                [self.sender, *self.to, *self.cc, *self.bcc, self.subject, self.text]
            ).casefold()
        return "\n".join(fields.get(name, [])).casefold()

    def searchable(self) -> str:
        return self.field_text("all")
