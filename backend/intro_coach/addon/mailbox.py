"""The open message, read with the event's own tokens, and what it says: is it an
introduction, and of whom. Gmail calls go through the project's Gmail client."""

from __future__ import annotations

import asyncio
import base64
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

from google.oauth2.credentials import Credentials

from intro_coach.addon.events import Event
from intro_coach.config import Settings
from intro_coach.gmail import context as finder
from intro_coach.gmail.client import Gmail, GmailError, GrantRevoked

log = logging.getLogger("intro_coach.addon")


@dataclass(frozen=True)
class Introduction:
    introducer: str
    person: str  # the one introduced to the user
    person_email: str
    subject: str
    message_id: str  # the RFC 822 Message-ID, for a threaded reply


def _header(message: dict[str, Any], name: str) -> str:
    headers = (message.get("payload") or {}).get("headers") or []
    for h in headers:
        if isinstance(h, dict) and str(h.get("name", "")).lower() == name.lower():
            return str(h.get("value", ""))
    return ""


# An introduction is written to a handful of people; a message to more is a list or an
# announcement, and trying every pair of its recipients would cost quadratic time.
MAX_INTRODUCTION_RECIPIENTS = 8


def introduction(message: dict[str, Any], user_email: str | None) -> Introduction | None:
    """Who this message introduces the user to, and who wrote it. Without the user's
    address (no userIdToken), any recipient may be the user."""
    mail = finder.parse(message)
    if len(mail.recipients) > MAX_INTRODUCTION_RECIPIENTS:
        return None
    users = [user_email] if user_email else [e for _, e in mail.recipients]
    for user in users:
        for name, email in mail.recipients:
            if email in (user, mail.sender_email):
                continue
            introducer = finder.introducer([mail], user, email, name)
            if introducer:
                return Introduction(
                    introducer=introducer,
                    person=name or email,
                    person_email=email,
                    subject=mail.subject,
                    message_id=_header(message, "Message-ID"),
                )
    return None


def reply_raw(intro: Introduction, subject: str, sender: str | None) -> str:
    message = EmailMessage()
    message["To"] = formataddr(
        (intro.person if intro.person != intro.person_email else "", intro.person_email)
    )
    if sender:
        message["From"] = sender
    message["Subject"] = subject
    if intro.message_id:
        message["In-Reply-To"] = intro.message_id
        message["References"] = intro.message_id
    first = intro.person.split()[0] if intro.person != intro.person_email else ""
    message.set_content(f"Hi {first},\n\n" if first else "Hi,\n\n")
    return base64.urlsafe_b64encode(message.as_bytes()).decode()


class OpenMessage:
    """Gmail reads on behalf of one add-on event; never waits past the deadline."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Its own pool: a hanging Gmail must not take the threads the server needs.
        self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="addon-gmail")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _gmail(self, event: Event) -> Gmail:
        assert event.user_oauth_token is not None
        credentials = Credentials(token=event.user_oauth_token)  # type: ignore[no-untyped-call]
        return Gmail(
            credentials,
            self.settings.gmail_api_root,
            self.settings.google_timeout_seconds,
            message_token=event.gmail_token,
        )

    def _read(self, event: Event) -> dict[str, Any] | None:
        assert event.message_id is not None
        return self._gmail(event).message(event.message_id)

    async def read(self, event: Event) -> tuple[dict[str, Any] | None, bool]:
        """The open message and whether Gmail answered in time."""
        if not (event.message_id and event.user_oauth_token and event.gmail_token):
            return None, True
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, self._read, event)
        try:
            return await asyncio.wait_for(future, self.settings.gmail_deadline_seconds), True
        except TimeoutError:
            log.info("add-on: Gmail did not answer within the deadline")
        except (GmailError, GrantRevoked) as exc:
            log.info("add-on: Gmail read failed: %s", type(exc).__name__)
        return None, False

    async def create_draft(self, event: Event, raw: str) -> dict[str, Any] | None:
        def create() -> dict[str, Any]:
            return self._gmail(event).create_draft(raw, event.thread_id)

        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(self._pool, create), self.settings.google_timeout_seconds
            )
        except TimeoutError:
            log.info("add-on: Gmail did not create the draft in time")
        except (GmailError, GrantRevoked) as exc:
            log.info("add-on: draft not created: %s", type(exc).__name__)
        return None
