"""The add-on's endpoints under /addon/gmail/: thin handlers from event to card.

Every POST must carry Google's system ID token for the exact URL called; anything else
gets a bare 401. Until the add-on is configured (service account and public URL) the
endpoints answer 404, as if they did not exist.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from intro_coach.addon import cards, deployment, views
from intro_coach.addon.events import Event, parse
from intro_coach.addon.mailbox import Introduction, OpenMessage, introduction, reply_raw
from intro_coach.addon.verify import Verifier
from intro_coach.addon.views import Referral, Urls
from intro_coach.analyzer import Context, with_grammar
from intro_coach.config import Settings
from intro_coach.gmail.cache import TTLCache
from intro_coach.referrer import parse_person, referrer_subjects
from intro_coach.schema import (
    MAX_BODY_CHARS,
    MAX_SUBJECT_CHARS,
    AnalyzeRequest,
    AnalyzeResponse,
    Body,
    Options,
    Recipient,
)
from intro_coach.store import UserInfo
from intro_coach.workers import Unavailable

log = logging.getLogger("intro_coach.addon")

STATIC = Path(__file__).with_name("static")
IMAGES = frozenset({"logo", "error", "warning", "suggestion"})
EXTENSION_URL = "https://chromewebstore.google.com/search/Intro%20Coach"
USER_TTL = 60.0
GMAIL_LATE = "Gmail didn't answer in time, so this card shows what Intro Coach knows without it."


class Addon:
    """What the endpoints share: settings, the token verifier, Gmail reads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.verifier = Verifier(settings.addon_certs_url, settings.google_timeout_seconds)
        self.open_message = OpenMessage(settings)
        self._users: TTLCache[tuple[str, int | None]] = TTLCache(max_items=10_000)

    @property
    def configured(self) -> bool:
        return bool(self.settings.addon_service_account and self.settings.public_url)

    @property
    def urls(self) -> Urls:
        assert self.settings.public_url
        return Urls(self.settings.public_url.rstrip("/") + deployment.PATH)

    async def authorized(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        assert self.settings.public_url and self.settings.addon_service_account
        # The audience is the URL Google called, as configured: behind a proxy the
        # server sees another host, so it comes from the public URL, never the request.
        audience = self.settings.public_url.rstrip("/") + request.url.path
        return await asyncio.to_thread(
            self.verifier.system, token.strip(), audience, self.settings.addon_service_account
        )

    async def user_email(self, event: Event) -> str | None:
        client_id = self.settings.addon_client_id
        if not client_id or not event.user_id_token:
            return None
        return await asyncio.to_thread(self.verifier.user_email, event.user_id_token, client_id)

    async def connected_user(self, request: Request, email: str | None) -> UserInfo | None:
        connection = request.app.state.gmail
        if email is None or connection is None:
            return None
        cached = self._users.get(email)
        if cached is None:
            info = await asyncio.to_thread(connection.store.user_by_email, email)
            cached = (email, info.id if info else None)
            self._users.put(email, cached, USER_TTL)
        if cached[1] is None:
            return None
        user: UserInfo | None = await connection.context.user(cached[1])
        return user


def _json(data: dict[str, Any]) -> Response:
    return JSONResponse(data)


def _recipients(event: Event) -> list[Recipient]:
    return [Recipient(email=e) for e in event.recipients if len(e) <= 320]


def router(settings: Settings) -> APIRouter:
    addon = Addon(settings)
    api = APIRouter(prefix=deployment.PATH, tags=["gmail add-on"], include_in_schema=False)

    async def event_of(request: Request, needs: str | None = None) -> Event | Response:
        """The event Google sent, or the answer instead of one: 404 while the add-on is
        not configured, 401 for a bad token, and a request for the scope `needs` when
        the user has not granted it."""
        if not addon.configured:
            return Response(status_code=404)
        if not await addon.authorized(request):
            return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
        event = parse(await request.body())
        if needs is not None and not event.granted(needs):
            return _json(cards.request_scopes([needs]))
        return event

    @api.get("/static/{name}.png")
    async def image(name: str) -> Response:
        """The logo and icons: Google's servers fetch them without a token."""
        if not addon.configured or name not in IMAGES:
            return Response(status_code=404)
        return Response(
            (STATIC / f"{name}.png").read_bytes(),
            media_type="image/png",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @api.post("/homepage")
    async def homepage(request: Request) -> Response:
        event = await event_of(request)
        if isinstance(event, Response):
            return event
        state: views.ConnectionState = "unavailable"
        email = await addon.user_email(event)
        if request.app.state.gmail is not None:
            user = await addon.connected_user(request, email)
            if user is None:
                state = "not_connected"
            else:
                state = "connected" if user.grant_status == "active" else "reconnect"
        card = views.homepage_card(addon.urls, state, email, EXTENSION_URL)
        return _json(cards.push(card))

    async def _mailbox_referrer(
        request: Request, user: UserInfo | None, event: Event
    ) -> tuple[str | None, bool]:
        """The introducer of the user and these recipients found in the connected
        mailbox, by the extension's context service (same deadline and cache)."""
        if user is None or user.grant_status != "active" or not event.recipients:
            return None, True
        connection = request.app.state.gmail
        draft = AnalyzeRequest(to=_recipients(event)[:3])
        key = "addon:" + hashlib.sha256(str(user.id).encode()).hexdigest()[:16]
        context, checks = await connection.context.context_for(user.id, key, draft)
        return context.referrer, checks.gmail != "unavailable"

    @api.post("/compose")
    async def compose(request: Request) -> Response:
        event = await event_of(request)
        if isinstance(event, Response):
            return event
        email = await addon.user_email(event)
        user = await addon.connected_user(request, email)
        (from_mailbox, mailbox_ok), (message, thread_ok) = await asyncio.gather(
            _mailbox_referrer(request, user, event), addon.open_message.read(event)
        )
        referral: Referral | None = None
        intro = introduction(message, email) if message is not None else None
        if intro is not None and (not event.recipients or intro.person_email in event.recipients):
            referral = Referral(intro.introducer, "thread")
        elif from_mailbox:
            referral = Referral(from_mailbox, "mailbox")
        subjects: list[str] = []
        if referral is not None:
            person = parse_person(referral.name)
            subjects = [s for s, _ in referrer_subjects(person)] if person else []
        notes = [] if mailbox_ok and thread_ok else [GMAIL_LATE]
        connected = user is not None and user.grant_status == "active"
        card = views.compose_card(
            addon.urls, event.recipients, referral, subjects, notes, connected=connected
        )
        return _json(cards.push(card))

    @api.post("/actions/check")
    async def check(request: Request) -> Response:
        event = await event_of(request)
        if isinstance(event, Response):
            return event
        text = event.form.get(views.DRAFT_INPUT, "")
        subject = " ".join(event.form.get(views.SUBJECT_INPUT, "").split())
        if not text.strip():
            return _json(cards.notification("Paste your draft into the box first."))
        if len(text) > MAX_BODY_CHARS or len(subject) > MAX_SUBJECT_CHARS:
            return _json(cards.pushed_card(views.too_long_card(addon.urls, len(text))))
        referrer = event.parameters.get("referrer")
        # Without the subject, the subject rules would only guess.
        disabled = [] if subject else ["missing-subject", "referrer-not-in-subject"]
        try:
            draft = AnalyzeRequest(
                subject=subject,
                body=Body(text=text),
                to=_recipients(event),
                options=Options(disabled_rules=disabled),
            ).validated()
        except ValueError:
            card = views.problem_card(
                addon.urls, "Couldn't check that", "Something in this draft couldn't be read."
            )
            return _json(cards.pushed_card(card))
        context = Context(referrer=referrer[:200]) if referrer else None
        # Grammar runs beside the rules, within its own deadline, on the same draft.
        grammar = request.app.state.grammar
        # The rules where /v1/analyze runs them (an analysis process, within the time
        # budget), as JSON.
        try:
            rules, spelling = await asyncio.gather(
                # The size picks the process: a long paste goes where large drafts go.
                request.app.state.run_analysis(draft, len(text) + len(subject), context=context),
                asyncio.to_thread(grammar.analyze, draft, context),
            )
        except Unavailable:
            card = views.problem_card(
                addon.urls, "Couldn't check that", "The checker restarted. Please try again."
            )
            return _json(cards.pushed_card(card))
        result = with_grammar(AnalyzeResponse.model_validate_json(rules), spelling)
        return _json(cards.pushed_card(views.result_card(addon.urls, result, bool(subject))))

    @api.post("/actions/subject")
    async def subject(request: Request) -> Response:
        event = await event_of(request, deployment.COMPOSE)
        if isinstance(event, Response):
            return event
        value = " ".join(event.parameters.get("subject", "").split())
        if not value or len(value) > MAX_SUBJECT_CHARS:
            return _json(cards.notification("That button is out of date; open Intro Coach again."))
        return _json(cards.set_subject(value, f"Subject set: {value}"))

    @api.post("/actions/opener")
    async def opener(request: Request) -> Response:
        event = await event_of(request, deployment.COMPOSE)
        if isinstance(event, Response):
            return event
        value = event.parameters.get("text", "").strip()
        if not value:
            return _json(cards.notification("That button is out of date; open Intro Coach again."))
        return _json(cards.insert_text(value + " ", "Opening line inserted"))

    async def open_introduction(event: Event) -> tuple[Introduction | None, str | None, bool]:
        """The introduction in the message the event names, the user's address, and
        whether Gmail answered in time. Reading the mail runs off the event loop."""
        email, (mail, in_time) = await asyncio.gather(
            addon.user_email(event), addon.open_message.read(event)
        )
        if mail is None:
            return None, email, in_time
        return await asyncio.to_thread(introduction, mail, email), email, in_time

    @api.post("/message")
    async def message(request: Request) -> Response:
        event = await event_of(request, deployment.READ_MESSAGE)
        if isinstance(event, Response):
            return event
        intro, _, in_time = await open_introduction(event)
        note = None if in_time else "Gmail didn't answer in time; open the message again."
        return _json(cards.push(views.message_card(addon.urls, intro, note)))

    @api.post("/actions/reply")
    async def reply(request: Request) -> Response:
        event = await event_of(request, deployment.COMPOSE)
        if isinstance(event, Response):
            return event
        intro, email, _ = await open_introduction(event)
        person = parse_person(intro.introducer) if intro else None
        if intro is None or person is None:
            return _json(cards.notification("Couldn't read the introduction; try again."))
        subject_line = referrer_subjects(person)[0][0]
        draft = await addon.open_message.create_draft(event, reply_raw(intro, subject_line, email))
        message_info = draft.get("message") if draft else None
        if draft is None or not isinstance(message_info, dict) or "id" not in draft:
            return _json(cards.notification("Gmail didn't create the draft; try again."))
        return _json(
            cards.open_created_draft(
                str(draft["id"]),
                str(message_info.get("id", "")),
                str(message_info.get("threadId", event.thread_id or "")),
                f"Draft created: {subject_line}",
            )
        )

    return api
