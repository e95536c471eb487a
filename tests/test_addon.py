"""The Gmail add-on over real HTTP: Google's event objects in, card JSON out, through a
real uvicorn server on loopback, the fake Google for Gmail and a local certificates
endpoint for the system ID tokens."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import addon_support as g
from tests.conftest import Server, start_server
from tests.google_fake import FakeGoogle, Message

USER = "jane.doe@example.com"
COMPOSE = "https://www.googleapis.com/auth/gmail.addons.current.action.compose"
READ = "https://www.googleapis.com/auth/gmail.addons.current.message.readonly"
INTRO_TEXT = (
    "Jane, meet Jordan Lee: he leads design research at Acme. Jordan, Jane is moving "
    "into UX. I'll let you two take it from here!"
)


@pytest.fixture(scope="module")
def certs() -> Iterator[g.Certs]:
    running = g.Certs().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle(account=USER).start()
    fake.mailbox += [
        Message(
            "Sally Smith <sally.smith@example.com>",
            ["Jane Doe <jane.doe@example.com>"],
            "Intro: Jane <> Jordan",
            INTRO_TEXT,
            cc=["Jordan Lee <jordan@example.com>"],
        ),
        Message(
            "Newsletter <news@example.org>",
            ["jane.doe@example.com"],
            "This week in design",
            "Five links about typography.",
        ),
    ]
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def server(
    certs: g.Certs, google: FakeGoogle, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    env = {**google.env(), **g.env(certs), "INTRO_COACH_GMAIL_DEADLINE_MS": "500"}
    running = start_server(tmp_path_factory.mktemp("addon"), env)
    yield running
    running.stop()


def post(
    server: Server, path: str, body: Any, token: str | None = "mint", **kwargs: Any
) -> httpx.Response:
    headers = {}
    if token == "mint":
        token = g.system_token(path)
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if isinstance(body, bytes):
        response = httpx.post(server.url + path, content=body, headers=headers, timeout=10)
    else:
        response = httpx.post(server.url + path, json=body, headers=headers, timeout=10)
    if response.status_code == 200:
        # Every answer the service gives is checked against the card schema.
        assert g.valid_response(response.json()) == []
    return response


def card_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return g.pushed(response.json())


def intro(google: FakeGoogle) -> Message:
    return google.mailbox[0]


# --- who may call ---

BAD_TOKENS: dict[str, Callable[[str], str]] = {
    "wrong key": lambda path: g.system_token(path, key="attacker"),
    "unknown key id": lambda path: g.system_token(path, key="attacker", kid="k9"),
    "wrong audience": lambda path: g.system_token("/addon/gmail/homepage-other"),
    "audience with query": lambda path: g.mint(g.PUBLIC_URL + path + "?x=1"),
    "other host": lambda path: g.mint("https://evil.example" + path),
    "wrong service account": lambda path: g.system_token(
        path, email="service-999@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
    ),
    "email not verified": lambda path: g.system_token(path, email_verified=False),
    "expired": lambda path: g.system_token(path, expires_in=-3600),
    "wrong issuer": lambda path: g.system_token(path, issuer="https://evil.example"),
    "not a token": lambda path: "not-a-jwt",
    "user token instead": lambda path: g.user_token(USER),
}


@pytest.mark.parametrize("path", ["/addon/gmail/homepage", "/addon/gmail/compose"])
@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_system_tokens_get_401_with_nothing_else(server: Server, path: str, case: str) -> None:
    response = post(server, path, g.compose_event(["jordan@example.com"]), BAD_TOKENS[case](path))
    assert response.status_code == 401
    assert response.content == b""


def test_missing_or_malformed_authorization_gets_401(server: Server) -> None:
    path = "/addon/gmail/homepage"
    assert post(server, path, g.event(), token=None).status_code == 401
    for header in ("Basic abc", "Bearer", "Bearer a.b.c", g.system_token(path)):
        response = httpx.post(
            server.url + path, json=g.event(), headers={"Authorization": header}, timeout=10
        )
        assert response.status_code == 401
        assert response.content == b""


def test_valid_tokens_are_checked_against_cached_certificates(
    server: Server, certs: g.Certs
) -> None:
    for _ in range(5):
        assert post(server, "/addon/gmail/homepage", g.event()).status_code == 200
    assert certs.hits == 1  # max-age=3600: fetched once, then from the cache


def test_endpoints_are_404_until_the_service_account_is_set(certs: g.Certs, tmp_path: Path) -> None:
    env = {**g.env(certs), "INTRO_COACH_ADDON_SERVICE_ACCOUNT": ""}
    running = start_server(tmp_path, env)
    try:
        response = post(running, "/addon/gmail/homepage", g.event())
        assert response.status_code == 404
        assert "card" not in response.text
    finally:
        running.stop()


# --- homepage ---


def test_homepage_explains_and_shows_the_connection(server: Server) -> None:
    card = card_of(post(server, "/addon/gmail/homepage", g.event(user_email=USER)))
    text = g.texts(card)
    assert card["header"]["title"] == "Intro Coach"
    assert card["header"]["imageUrl"] == g.PUBLIC_URL + "/addon/gmail/static/logo.png"
    logo = httpx.get(server.url + "/addon/gmail/static/logo.png", timeout=10)
    assert logo.status_code == 200
    assert logo.content.startswith(b"\x89PNG")
    assert "informational interview" in text
    assert "Not connected" in text
    link = g.buttons(card)["Get the Chrome extension"]["onClick"]["openLink"]["url"]
    assert link.startswith("https://")


def test_homepage_without_a_gmail_connection_on_this_server(certs: g.Certs, tmp_path: Path) -> None:
    running = start_server(tmp_path, g.env(certs))  # no Google client configured
    try:
        card = card_of(post(running, "/addon/gmail/homepage", g.event(user_email=USER)))
        assert "This Intro Coach server has no Gmail connection set up." in g.texts(card)
        compose = card_of(post(running, "/addon/gmail/compose", g.compose_event(["a@b.example"])))
        assert "Check" in g.buttons(compose)
    finally:
        running.stop()


# --- compose ---


def test_compose_without_gmail_offers_the_check(server: Server) -> None:
    card = card_of(post(server, "/addon/gmail/compose", g.compose_event(["pat@example.org"])))
    text = g.texts(card)
    assert "Writing to pat@example.org" in text
    assert "Sally Smith suggested I contact you" in text  # the advice, as an example
    inputs = {w["textInput"]["name"]: w["textInput"] for w in g.widgets(card) if "textInput" in w}
    assert inputs["draft"]["type"] == "MULTIPLE_LINE"
    assert inputs["subject"]["type"] == "SINGLE_LINE"
    check = g.buttons(card)["Check"]["onClick"]["action"]
    assert check["function"] == g.PUBLIC_URL + "/addon/gmail/actions/check"


def test_compose_reply_to_an_introduction_names_the_introducer(
    server: Server, google: FakeGoogle
) -> None:
    message = intro(google)
    user_token, gmail_token = google.addon_tokens(message.id)
    ids = {"messageId": f"msg-f:{int(message.id, 16)}", "accessToken": gmail_token}
    body = g.compose_event(
        ["jordan@example.com"], user_email=USER, oauth_token=user_token, gmail=ids
    )
    card = card_of(post(server, "/addon/gmail/compose", body))
    text = g.texts(card)
    assert "Sally Smith" in text
    assert "From the introduction you are replying to" in text
    buttons = g.buttons(card)
    subject = buttons["Sally Smith suggested I contact you"]["onClick"]["action"]
    assert subject["function"] == g.PUBLIC_URL + "/addon/gmail/actions/subject"
    assert subject["parameters"] == [
        {"key": "subject", "value": "Sally Smith suggested I contact you"}
    ]
    opener = buttons["Insert at cursor"]["onClick"]["action"]
    assert opener["parameters"] == [
        {"key": "text", "value": "Sally Smith suggested I contact you."}
    ]
    # The read went to Gmail with both the user's token and the message's token.
    sent = google.gmail_headers[-1]
    assert sent["authorization"] == f"Bearer {user_token}"
    assert sent["x-goog-gmail-access-token"] == gmail_token


# --- actions in the compose window ---


def click(path: str, **kwargs: Any) -> dict[str, Any]:
    return g.compose_event(["jordan@example.com"], **kwargs)


def test_subject_button_sets_the_subject(server: Server) -> None:
    body = click("subject", parameters={"subject": "Sally Smith suggested I contact you"})
    response = post(server, "/addon/gmail/actions/subject", body)
    assert response.status_code == 200
    render = response.json()["renderActions"]
    markup = render["hostAppAction"]["gmailAction"]["updateDraftActionMarkup"]
    assert markup == {"updateSubject": {"subject": "Sally Smith suggested I contact you"}}
    assert render["action"]["notification"]["text"].startswith("Subject set")


def test_opener_button_inserts_at_the_cursor(server: Server) -> None:
    body = click("opener", parameters={"text": "Sally Smith suggested I contact you."})
    render = post(server, "/addon/gmail/actions/opener", body).json()["renderActions"]
    update = render["hostAppAction"]["gmailAction"]["updateDraftActionMarkup"]["updateBody"]
    assert update == {
        "type": "IN_PLACE_INSERT",
        "insertContents": [
            {"content": "Sally Smith suggested I contact you. ", "contentType": "TEXT"}
        ],
    }


def test_a_missing_compose_scope_is_requested_alone(server: Server) -> None:
    scopes = [s for s in g.ALL_SCOPES if s != COMPOSE]
    body = click("subject", parameters={"subject": "Hi"}, scopes=scopes)
    response = post(server, "/addon/gmail/actions/subject", body)
    assert response.json() == {"requesting_google_scopes": {"scopes": [COMPOSE]}}


DRAFT = (
    "Hi Jordan,\n\nSally Smith suggested I contact you. I'm a high school teacher moving "
    "into UX research, and I was hoping you'd have time for an informational interview.\n\n"
    "I've attached my resume. Could you refer me for a job on your team?\n\nBest,\nJane"
)


def test_check_lists_every_finding_most_severe_first(server: Server) -> None:
    form = {"draft": DRAFT, "subject": "Informational interview request"}
    body = click("check", form=form)
    card = card_of(post(server, "/addon/gmail/actions/check", body))
    expected = httpx.post(
        server.url + "/v1/analyze",
        json={
            "subject": form["subject"],
            "body": {"text": DRAFT},
            "to": [{"email": "jordan@example.com"}],
            "options": {"grammar": False},
        },
        timeout=10,
    ).json()
    finding_widgets = [
        w["decoratedText"]
        for s in card["sections"]
        for w in s["widgets"][:1]
        if "decoratedText" in w and s.get("collapsible")
    ]
    assert [w["text"] for w in finding_widgets] == [
        f["message"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for f in expected["findings"]
    ]
    labels = [w["topLabel"] for w in finding_widgets]
    assert labels[0] == "Fix before sending"  # job-ask is an error
    order = {"Fix before sending": 0, "Worth fixing": 1, "Suggestion": 2}
    assert [order[x] for x in labels] == sorted(order[x] for x in labels)
    # Severity is a word and an icon with alt text, never colour alone.
    assert all(w["startIcon"]["altText"] == w["topLabel"] for w in finding_widgets)
    text = g.texts(card)
    assert "Why?" in text
    assert "Source" in text
    subject = g.buttons(card)["Sally Smith suggested I contact you"]["onClick"]["action"]
    assert subject["function"].endswith("/actions/subject")


def test_check_without_subject_skips_the_subject_rules(server: Server) -> None:
    card = card_of(
        post(server, "/addon/gmail/actions/check", click("check", form={"draft": DRAFT}))
    )
    text = g.texts(card)
    assert "Add an email subject" not in text
    assert "Add the subject above to check it too." in text


def test_check_with_the_compose_referrer(server: Server) -> None:
    draft = "Hi Jordan, could we talk for 20 minutes next week about your take on UX? Thanks!"
    body = click(
        "check",
        form={"draft": draft, "subject": "Quick question"},
        parameters={"referrer": "Sally Smith"},
    )
    card = card_of(post(server, "/addon/gmail/actions/check", body))
    assert "Put Sally Smith in the subject" in g.texts(card)


def test_empty_and_too_long_drafts_get_a_friendly_answer(server: Server) -> None:
    empty = post(server, "/addon/gmail/actions/check", click("check", form={"draft": "  "}))
    assert empty.json()["renderActions"]["action"]["notification"]["text"] == (
        "Paste your draft into the box first."
    )
    long = post(
        server, "/addon/gmail/actions/check", click("check", form={"draft": "word " * 30_000})
    )
    text = g.texts(card_of(long))
    assert "too long" in text
    assert "150,000 characters" in text


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"commonEventObject": "x", "gmail": 5}',
        b'{"commonEventObject": {"formInputs": {"draft": {"stringInputs": {"value": [3]}}}}}',
        b'{"commonEventObject": {"parameters": [{"key": 1}]}, '
        b'"gmail": {"toRecipients": [1, null]}}',
        b"[" * 5000 + b"]" * 5000,
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/addon/gmail/homepage",
        "/addon/gmail/compose",
        "/addon/gmail/message",
        "/addon/gmail/actions/check",
        "/addon/gmail/actions/subject",
        "/addon/gmail/actions/opener",
        "/addon/gmail/actions/reply",
    ],
)
def test_malformed_events_never_500(server: Server, path: str, body: bytes) -> None:
    response = post(server, path, body)
    assert response.status_code == 200, response.text
    data = response.json()
    assert "renderActions" in data or "action" in data


def test_pasted_drafts_never_reach_the_log(server: Server) -> None:
    canary = "Canary-7f3a9c quokka"
    for path in ("/addon/gmail/actions/check", "/addon/gmail/compose"):
        post(server, path, click("check", form={"draft": f"Hi, {canary}.", "subject": canary}))
    log = server.log.read_text(errors="replace")
    assert "/addon/gmail/actions/check" in log  # the access log is on, at debug
    assert "quokka" not in log
    assert not [p for p in server.workdir.rglob("*") if p.is_file() and b"quokka" in p.read_bytes()]


# --- reading mail ---


def message_event(
    google: FakeGoogle, message: Message, spelling: str = "userOAuthToken", **kwargs: Any
) -> dict[str, Any]:
    user_token, gmail_token = google.addon_tokens(message.id)
    ids = {
        "messageId": f"msg-f:{int(message.id, 16)}",
        "threadId": f"thread-f:{int(message.thread_id or message.id, 16)}",
        "accessToken": gmail_token,
    }
    return g.event(
        user_email=USER, oauth_token=user_token, oauth_spelling=spelling, gmail=ids, **kwargs
    )


@pytest.mark.parametrize("spelling", ["userOAuthToken", "userOauthToken"])
def test_an_introduction_gets_the_introduction_card(
    server: Server, google: FakeGoogle, spelling: str
) -> None:
    body = message_event(google, intro(google), spelling)
    card = card_of(post(server, "/addon/gmail/message", body))
    text = g.texts(card)
    assert "Introduced you to\nJordan Lee" in text
    assert "Introduced by\nSally Smith" in text
    reply = g.buttons(card)["Reply with a subject naming Sally Smith"]["onClick"]["action"]
    assert reply["function"] == g.PUBLIC_URL + "/addon/gmail/actions/reply"


def test_mail_to_hundreds_is_no_introduction_and_costs_little(
    server: Server, google: FakeGoogle
) -> None:
    # Every pair of 600 recipients read once each used to take minutes on the event loop.
    crowd = [f"Person {i} <p{i}@example.com>" for i in range(200)]
    mass = Message(
        "Sally Smith <sally.smith@example.com>",
        crowd,
        "Meet everyone",
        "Jordan, meet Jane! " * 1500,
        cc=[c.replace("@", "@cc.") for c in crowd],
        bcc=[c.replace("@", "@bcc.") for c in crowd],
    )
    google.mailbox.append(mass)
    response = post(server, "/addon/gmail/message", message_event(google, mass))
    assert "Introduced by" not in g.texts(card_of(response))
    assert "Intro Coach helps when you write to someone new" in g.texts(card_of(response))


def test_other_mail_gets_a_short_card(server: Server, google: FakeGoogle) -> None:
    card = card_of(post(server, "/addon/gmail/message", message_event(google, google.mailbox[1])))
    assert "Intro Coach helps when you write to someone new" in g.texts(card)
    assert not g.buttons(card)


def test_without_the_message_token_gmail_refuses_and_the_card_still_answers(
    server: Server, google: FakeGoogle
) -> None:
    body = message_event(google, intro(google))
    body["gmail"]["accessToken"] = "AOaddon-not-this-one"
    card = card_of(post(server, "/addon/gmail/message", body))
    assert "Introduced by" not in g.texts(card)


def test_without_a_valid_user_token_gmail_refuses_and_the_card_still_answers(
    server: Server, google: FakeGoogle
) -> None:
    body = message_event(google, intro(google))
    body["authorizationEventObject"]["userOAuthToken"] = "ya29.not-a-token"
    before = len(google.gmail_headers)
    card = card_of(post(server, "/addon/gmail/message", body))
    assert "Introduced by" not in g.texts(card)
    assert len(google.gmail_headers) > before  # asked, and refused with a 401
    del body["authorizationEventObject"]["userOAuthToken"]
    card = card_of(post(server, "/addon/gmail/message", body))
    assert "Introduced by" not in g.texts(card)


def test_missing_read_scope_is_requested(server: Server, google: FakeGoogle) -> None:
    scopes = [s for s in g.ALL_SCOPES if s != READ]
    response = post(
        server, "/addon/gmail/message", message_event(google, intro(google), scopes=scopes)
    )
    assert response.json() == {"requesting_google_scopes": {"scopes": [READ]}}


def test_reply_creates_a_draft_naming_the_introducer(server: Server, google: FakeGoogle) -> None:
    import base64
    from email import message_from_bytes

    before = len(google.drafts)
    response = post(server, "/addon/gmail/actions/reply", message_event(google, intro(google)))
    render = response.json()["renderActions"]
    opened = render["hostAppAction"]["gmailAction"]["openCreatedDraftActionMarkup"]
    assert opened["draftId"].startswith("r")
    assert render["action"]["notification"]["text"] == (
        "Draft created: Sally Smith suggested I contact you"
    )
    assert len(google.drafts) == before + 1
    raw = google.drafts[-1]["message"]["raw"]
    mail = message_from_bytes(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    assert mail["Subject"] == "Sally Smith suggested I contact you"
    assert mail["To"] == "Jordan Lee <jordan@example.com>"


def test_slow_gmail_still_answers_within_a_second(server: Server, google: FakeGoogle) -> None:
    google.gmail_fault = "hang"
    google.hang_seconds = 6
    try:
        start = time.perf_counter()
        card = card_of(post(server, "/addon/gmail/message", message_event(google, intro(google))))
        elapsed = time.perf_counter() - start
    finally:
        google.gmail_fault = None
    # The server's deadline is 0.5 s here; the margin is for a loaded test machine.
    # What matters: the card came long before Gmail would have answered.
    assert elapsed < 2.0
    assert "didn't answer in time" in g.texts(card)


# --- a user who connected Gmail in the extension ---


def test_connected_user_gets_the_referrer_from_the_mailbox(certs: g.Certs, tmp_path: Path) -> None:
    from tests.google_fake.databases import sqlite_url
    from tests.google_fake.harness import connect, running, settings_for

    fake = FakeGoogle(account=USER).start()
    fake.mailbox.append(
        Message(
            "Sally Smith <sally.smith@example.com>",
            ["Jane Doe <jane.doe@example.com>"],
            "Intro: Jane <> Jordan",
            INTRO_TEXT,
            cc=["Jordan Lee <jordan@example.com>"],
        )
    )
    settings = settings_for(
        fake,
        tmp_path,
        sqlite_url(tmp_path),
        addon_service_account=g.SERVICE_ACCOUNT,
        addon_client_id=g.CLIENT_ID,
        addon_certs_url=certs.url,
    )
    try:
        with running(settings) as (url, _), httpx.Client(timeout=10) as http:
            connect(http, url)

            def call(path: str, body: dict[str, Any]) -> dict[str, Any]:
                token = g.mint(url + path)
                response = http.post(
                    url + path, json=body, headers={"Authorization": f"Bearer {token}"}
                )
                assert g.valid_response(response.json()) == []
                return card_of(response)

            home = call("/addon/gmail/homepage", g.event(user_email=USER))
            assert f"Connected as {USER}" in g.texts(home)
            body = g.compose_event(["jordan@example.com"], user_email=USER)
            for _ in range(20):
                card = call("/addon/gmail/compose", body)
                if "Referred by" in g.texts(card):
                    break
                time.sleep(0.1)
            text = g.texts(card)
            assert "Referred by\nSally Smith\nFrom their introduction in your mailbox" in text
            assert "Sally Smith suggested I contact you" in g.buttons(card)
            # Gmail hanging: the card answers without the referrer, and says why.
            fake.gmail_fault = "hang"
            fake.hang_seconds = 5
            late = call(
                "/addon/gmail/compose", g.compose_event(["pat@example.org"], user_email=USER)
            )
            assert "Gmail didn't answer in time" in g.texts(late)
            fake.gmail_fault = None
            # Someone else's userIdToken (not connected) gets no mailbox lookups.
            other = call(
                "/addon/gmail/compose",
                g.compose_event(["jordan@example.com"], user_email="pat@example.org"),
            )
            assert "Referred by" not in g.texts(other)
    finally:
        fake.stop()
