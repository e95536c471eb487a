"""Gmail messages shaped as the Gmail API returns them (format=full)."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from typing import Any

_ids = itertools.count(0x18C0_0000_0000_0000)


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
    date: str = "Mon, 3 Nov 2025 09:12:44 -0800"
    id: str = field(default_factory=lambda: format(next(_ids), "x"))

    def __post_init__(self) -> None:
        if self.thread_id is None:
            self.thread_id = self.id

    def headers(self) -> list[dict[str, str]]:
        headers = [
            {"name": "MIME-Version", "value": "1.0"},
            {"name": "Date", "value": self.date},
            {"name": "Message-ID", "value": f"<{self.id}@mail.example.com>"},
            {"name": "Subject", "value": self.subject},
            {"name": "From", "value": self.sender},
            {"name": "To", "value": ", ".join(self.to)},
        ]
        if self.cc:
            headers.append({"name": "Cc", "value": ", ".join(self.cc)})
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

    def resource(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "threadId": self.thread_id,
            "labelIds": self.labels,
            "snippet": " ".join(self.text.split())[:100],
            "payload": self.payload(),
            "sizeEstimate": 2048 + len(self.text),
            "historyId": "91234",
            "internalDate": "1762189964000",
        }

    def searchable(self) -> str:
        fields = [self.sender, *self.to, *self.cc, self.subject, self.text]
        return "\n".join(fields).casefold()
