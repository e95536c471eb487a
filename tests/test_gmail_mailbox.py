"""The referrer lookup against mailboxes as they really are: the real Gmail client
(google-api-python-client, google-auth) talking to the fake Google on loopback, with a
mailbox built for each shape of introduction, and Gmail failing the way it does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from intro_coach.gmail import lookup
from intro_coach.gmail.client import Deadline, Gmail, GmailError, user_credentials
from tests.google_fake import FakeGoogle, Message

USER = "jane.doe@example.com"
JORDAN = "jordan@example.com"
SALLY = "Sally Smith <sally.smith@example.com>"
READONLY = "https://www.googleapis.com/auth/gmail.readonly"


@pytest.fixture()
def google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle(account=USER).start()
    yield fake
    fake.stop()


def gmail(google: FakeGoogle, seconds: float = 5.0) -> Gmail:
    creds = user_credentials(
        google.grant(), google.client_id, google.client_secret, google.token_uri, [READONLY]
    )
    return Gmail(creds, google.gmail_root, 3.0, Deadline(seconds))


def find(
    google: FakeGoogle, name: str = "Jordan Lee", email: str = JORDAN, **kw: Any
) -> lookup.ReferrerLookup:
    return lookup.find_introduction(gmail(google), USER, email, name, **kw)


def referrer(google: FakeGoogle, name: str = "Jordan Lee", email: str = JORDAN) -> str | None:
    found = find(google, name, email)
    assert found.complete
    return found.introduction.introducer if found.introduction else None


def mail(sender: str, to: list[str], text: str, subject: str = "Hello", **kw: Any) -> Message:
    return Message(sender, to, subject, text, **kw)


def intro(sender: str = SALLY, text: str = "Jane, meet Jordan. He's great.", **kw: Any) -> Message:
    kw.setdefault("cc", [f"Jordan Lee <{JORDAN}>"])
    return mail(
        sender, kw.pop("to", [USER]), text, kw.pop("subject", "Intro: Jane <> Jordan"), **kw
    )


# --- search: however the conversation went on ---


def test_found_after_the_recipient_wrote_many_times_since(google: FakeGoogle) -> None:
    first = intro()
    google.mailbox.append(first)
    for i in range(30):  # the recipient and the user go on in the thread, and elsewhere
        google.mailbox.append(
            mail(f"Jordan Lee <{JORDAN}>", [USER], f"Reply {i}", "Re: Intro", thread_id=first.id)
        )
        google.mailbox.append(mail(USER, [JORDAN], f"Answer {i}", "Re: Intro", thread_id=first.id))
    assert referrer(google) == "Sally Smith"
    # The query itself leaves out their mail: one page, one batch of threads, one of gets.
    assert len(google.gmail_round_trips()) == 3


def test_pages_until_the_introduction(google: FakeGoogle) -> None:
    google.mailbox.append(intro())
    for i in range(50):  # newer mail from others that names Jordan
        google.mailbox.append(mail(f"Pat {i} <pat{i}@example.org>", [USER], f"Jordan Lee said {i}"))
    assert referrer(google) == "Sally Smith"
    lists = [p for p in google.gmail_round_trips() if p.endswith("/messages")]
    assert len(lists) == 3  # 20 + 20 + the page with the introduction


def test_the_page_budget_ends_the_search(google: FakeGoogle) -> None:
    google.mailbox.append(intro())
    for i in range(50):
        google.mailbox.append(mail(f"Pat {i} <pat{i}@example.org>", [USER], f"Jordan Lee said {i}"))
    found = find(google, max_pages=2)
    assert found.introduction is None and found.complete
    assert found.notes == (
        "gmail: no introduction among the 40 most recent emails that mention Jordan Lee",
    )


def test_intro_at_the_start_of_a_thread_of_hundreds(google: FakeGoogle) -> None:
    first = intro()
    google.mailbox.append(first)
    for i in range(300):  # a colleague keeps the thread going, Jordan in copy
        google.mailbox.append(
            mail(
                "Pat Kim <pat@example.org>",
                [USER],
                f"Update {i} for Jordan Lee",
                "Re: Intro: Jane <> Jordan",
                cc=[JORDAN],
                thread_id=first.id,
            )
        )
    assert referrer(google) == "Sally Smith"
    # The thread is read once; one more page is listed in case a newer introduction
    # sits below the replies that brought this old one up.
    assert len(google.gmail_round_trips()) == 4


def test_most_recent_introduction_wins_and_the_other_is_noted(google: FakeGoogle) -> None:
    google.mailbox.append(intro("Old Friend <old@example.org>", "Introducing you two!"))
    google.mailbox.append(intro())
    found = find(google)
    assert found.introduction and found.introduction.introducer == "Sally Smith"
    assert any("Old Friend" in n and "Sally Smith" in n for n in found.notes)


def test_same_introducer_twice_is_not_ambiguous(google: FakeGoogle) -> None:
    google.mailbox.append(intro())
    google.mailbox.append(intro(text="Connecting you two again, as promised."))
    found = find(google)
    assert found.introduction and found.introduction.introducer == "Sally Smith"
    assert found.notes == ()


# --- introductions in every common shape ---


@pytest.mark.parametrize(
    "shape",
    [
        {"to": [USER], "cc": [JORDAN]},  # user in To, recipient in Cc
        {"to": [JORDAN], "cc": [USER]},  # recipient in To, user in Cc
        {"to": [JORDAN], "cc": []},  # the user in Bcc: their copy names only Jordan
        {"to": [USER, JORDAN], "cc": []},
    ],
)
def test_who_is_addressed(google: FakeGoogle, shape: dict[str, list[str]]) -> None:
    google.mailbox.append(
        intro(text="Introducing you two: Jane, Jordan.", to=shape["to"], cc=shape["cc"])
    )
    assert referrer(google) == "Sally Smith"


@pytest.mark.parametrize(
    "text",
    [
        "Jane, meet Jordan. Jordan, meet Jane.",
        "Connecting you two, as promised!",
        "Looping in Jordan, who runs research at Acme.",
        "Introducing Jane (cc'd) to Jordan: you both love maps.",
        "I'd love for you to meet my friend Jordan Lee.",
        "Putting you two in touch: you both work on accessibility.",
    ],
)
def test_phrasings(google: FakeGoogle, text: str) -> None:
    google.mailbox.append(intro(text=text, subject="Hello"))
    assert referrer(google) == "Sally Smith"


def test_html_only_introduction_with_quoted_history(google: FakeGoogle) -> None:
    message = intro(text="", subject="Re: hello")
    message.html = (
        "<div dir=ltr>Jane, meet <b>Jordan</b>&nbsp;Lee &mdash; I&#39;ll let you two take it "
        "from here.</div><div class=gmail_quote><blockquote>Pat wrote: you should meet "
        "Sam</blockquote></div>"
    )
    google.mailbox.append(message)
    assert referrer(google) == "Sally Smith"


def test_recipient_only_named_in_the_text(google: FakeGoogle) -> None:
    google.mailbox.append(intro(text="Jane, you should meet Jordan Lee at Acme.", cc=[]))
    assert referrer(google) == "Sally Smith"


def test_double_opt_in_forward(google: FakeGoogle) -> None:
    text = (
        "Jordan said yes, over to you two!\n\n"
        "---------- Forwarded message ---------\n"
        f"From: Jordan Lee <{JORDAN}>\n"
        "Date: Mon, 3 Nov 2025 at 09:12\n"
        "Subject: Re: would you talk to Jane?\n"
        "To: Sally Smith <sally.smith@example.com>\n\n"
        "Sure, happy to chat with her.\n"
    )
    google.mailbox.append(intro(text=text, subject="Fwd: would you talk to Jane?"))
    assert referrer(google) == "Sally Smith"


def test_introduction_forwarded_by_the_introducer(google: FakeGoogle) -> None:
    text = (
        "FYI, see below. He'll write to you.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Sally Smith <sally.smith@example.com>\n"
        "Date: Mon, 3 Nov 2025 at 09:12\n"
        "Subject: Someone you should know\n"
        f"To: Jordan Lee <{JORDAN}>\n\n"
        "Jordan, I'd like to introduce you to Jane Doe, who is moving into UX.\n"
    )
    google.mailbox.append(intro(text=text, subject="Fwd: Someone you should know", cc=[]))
    assert referrer(google) == "Sally Smith"


def test_reply_on_the_introduction_thread(google: FakeGoogle) -> None:
    text = (
        "Glad this worked out, you two!\n\n"
        "On Mon, 3 Nov 2025 at 09:12, Sally Smith <sally.smith@example.com> wrote:\n"
        "> Jane, meet Jordan. Jordan, meet Jane.\n"
    )
    google.mailbox.append(intro(text=text, subject="Re: Intro: Jane <> Jordan"))
    assert referrer(google) == "Sally Smith"


def test_reply_by_someone_else_credits_the_quoted_introducer(google: FakeGoogle) -> None:
    text = (
        "Jordan is free on Tuesday.\n\n"
        "On Mon, 3 Nov 2025 at 09:12, Sally Smith <sally.smith@example.com>\nwrote:\n"
        "> Jane, meet Jordan. Jordan, meet Jane.\n"
    )
    google.mailbox.append(
        intro("Sam Assistant <sam@example.org>", text, subject="Re: Intro: Jane <> Jordan")
    )
    assert referrer(google) == "Sally Smith"


@pytest.mark.parametrize(
    ("headers", "subject", "attachments"),
    [
        ([("List-Id", "<ux.lists.example.org>")], "Meet our members", []),
        ([("Precedence", "bulk")], "Meet our members", []),
        ([("Auto-Submitted", "auto-replied")], "Out of office", []),
        (
            [],
            "Invitation: Jane <> Jordan intro @ Tue Nov 4, 2025",
            [("invite.ics", "text/calendar", b"BEGIN:VCALENDAR")],
        ),
        ([], "Updated invitation: Jane <> Jordan", []),
    ],
)
def test_not_introductions(
    google: FakeGoogle,
    headers: list[tuple[str, str]],
    subject: str,
    attachments: list[tuple[str, str, bytes]],
) -> None:
    google.mailbox.append(
        intro(
            "Acme Community <community@example.org>",
            "Jane, meet Jordan Lee, our member of the month! Introducing you two.",
            subject=subject,
            extra_headers=headers,
            attachments=attachments,
        )
    )
    assert referrer(google) is None


@pytest.mark.parametrize(
    "text",
    [
        "I'll meet Jordan Lee on Friday about the launch.",
        "Jordan Lee said hi, and the intro session was fun.",
        "We are going to meet Jordan for lunch.",
    ],
)
def test_recipient_merely_mentioned(google: FakeGoogle, text: str) -> None:
    google.mailbox.append(intro(text=text, cc=[], subject="Friday"))
    assert referrer(google) is None


# --- names as people write them ---


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ('"Smith, Sally" <sally@example.com>', "Sally Smith"),
        ('"Sally Smith" <sally@example.com>', "Sally Smith"),
        ("'Sally Smith' <sally@example.com>", "Sally Smith"),
        ('"Sally Smith (Acme)" <sally@example.com>', "Sally Smith"),
        ("=?UTF-8?Q?Ren=C3=A9e_Dupont-Lef=C3=A8vre?= <renee@example.fr>", "Renée Dupont-Lefèvre"),
        ('"van der Berg, Anna" <anna@example.nl>', "Anna van der Berg"),
        ("Ludwig van Beethoven <lvb@example.de>", "Ludwig van Beethoven"),
        ('"King, Martin Luther, Jr." <mlk@example.org>', "Martin Luther King Jr."),
        ('"Smith Jr., John" <john@example.com>', "John Smith Jr."),
        ("sally.smith@example.com", None),  # only an address: no guess
        ('"sally.smith@example.com" <sally.smith@example.com>', None),
        ('"Acme, Inc." <hello@example.com>', None),
    ],
)
def test_introducer_names(google: FakeGoogle, sender: str, expected: str | None) -> None:
    google.mailbox.append(intro(sender))
    found = find(google)
    assert found.introduction is not None
    assert found.introduction.introducer == expected
    if expected is None:
        assert any("name isn't in the email" in n for n in found.notes)


def test_address_only_with_a_clear_signature(google: FakeGoogle) -> None:
    text = "Jane, meet Jordan. He's great.\n\nBest,\nSally Smith\nAcme Corp"
    google.mailbox.append(intro("sally.smith@example.com", text))
    assert referrer(google) == "Sally Smith"


def test_signature_that_is_not_the_sender_is_not_used(google: FakeGoogle) -> None:
    text = "Jane, meet Jordan. He's great.\n\nBest,\nPat Kim"
    google.mailbox.append(intro("sally.smith@example.com", text))
    found = find(google)
    assert found.introduction is not None and found.introduction.introducer is None


# --- Gmail as it fails ---


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("messages.list", 429, None),
        ("messages.list", 403, "rateLimitExceeded"),
        ("threads.get", 403, "userRateLimitExceeded"),
        ("messages.get", 429, None),
        ("batch", 429, None),
        ("messages.list", 500, None),
        ("messages.get", 503, None),
    ],
)
def test_retried_once_or_with_back_off(
    google: FakeGoogle, kind: str, status: int, reason: str | None
) -> None:
    google.mailbox.append(intro())
    google.fail(kind, status, reason=reason)
    found = find(google)
    assert found.complete and found.introduction
    assert found.introduction.introducer == "Sally Smith"


def test_rate_limits_back_off_exponentially(google: FakeGoogle) -> None:
    google.mailbox.append(intro())
    google.fail("messages.list", 429, times=3)
    assert referrer(google) == "Sally Smith"
    assert len([p for p in google.gmail_round_trips() if p.endswith("/messages")]) == 4


def test_back_off_stays_inside_the_deadline(google: FakeGoogle) -> None:
    google.mailbox.append(intro())
    google.fail("messages.list", 429, times=10, retry_after=5)
    with pytest.raises(GmailError):
        lookup.find_introduction(gmail(google, seconds=1.0), USER, JORDAN, "Jordan Lee")
    assert len(google.gmail_round_trips()) == 1  # a 5 s Retry-After does not fit in 1 s


def test_server_errors_are_retried_only_once(google: FakeGoogle) -> None:
    google.mailbox.append(intro())
    google.fail("messages.list", 503, times=2)
    with pytest.raises(GmailError):
        find(google)
    assert len(google.gmail_round_trips()) == 2


def test_401_refreshes_the_token_and_retries_once(google: FakeGoogle) -> None:
    google.mailbox.append(intro())
    client = gmail(google)
    client.search("x", 1)  # an access token is in hand
    tokens = google.token_calls()
    google.fail("messages.list", 401)
    found = lookup.find_introduction(client, USER, JORDAN, "Jordan Lee")
    assert found.introduction and found.introduction.introducer == "Sally Smith"
    assert google.token_calls() == tokens + 1
    google.fail("messages.list", 401, times=2)
    with pytest.raises(GmailError):
        lookup.find_introduction(client, USER, JORDAN, "Jordan Lee")


def test_a_failed_get_gives_a_partial_answer(google: FakeGoogle) -> None:
    older = intro()
    google.mailbox.append(older)
    newer = intro("Pat Kim <pat@example.org>", "Introducing you two!")
    google.mailbox.append(newer)
    google.fail("messages.get", 500, times=2, target=newer.id)
    found = find(google)
    # Sally's introduction is used, but a newer one may have been missed: not complete.
    assert found.introduction and found.introduction.introducer == "Sally Smith"
    assert not found.complete


def test_batch_goes_to_the_configured_root(google: FakeGoogle) -> None:
    for i in range(20):
        google.mailbox.append(
            intro(f"Person {i} <p{i}@example.org>", f"Hello {i}", subject=f"About Jordan Lee {i}")
        )
    client = gmail(google)
    assert client.batch_uri == google.url + "/batch/gmail/v1"
    found = lookup.find_introduction(client, USER, JORDAN, "Jordan Lee")
    assert found.introduction is None and found.complete
    trips = google.gmail_round_trips()
    assert trips.count("/batch/gmail/v1") == 2  # thread headers, then the candidates
    assert len([c for c in google.gmail_calls() if "/messages/" in c]) == 20


# --- the thread asked for a resume ---


def test_resume_asked_in_a_long_thread(google: FakeGoogle) -> None:
    first = mail(USER, [JORDAN], "Could we talk?", "UX research", thread_id="t1")
    google.mailbox.append(first)
    for i in range(200):
        sender = USER if i % 2 else f"Jordan Lee <{JORDAN}>"
        google.mailbox.append(mail(sender, [USER], f"Message {i}", "Re: UX", thread_id="t1"))
    google.mailbox.append(
        mail(f"Jordan Lee <{JORDAN}>", [USER], "Could you send me your CV?", "Re", thread_id="t1")
    )
    found = lookup.thread_asks_for_resume(gmail(google), "t1", USER)
    assert found.resume_requested and found.complete
    assert lookup.thread_asks_for_resume(gmail(google), "nope", USER).resume_requested is False


def test_a_newer_introduction_beats_an_old_thread_brought_up_by_a_reply(
    google: FakeGoogle,
) -> None:
    old = intro("Old Friend <old@example.org>", "Introducing you two!")
    google.mailbox.append(old)
    google.mailbox.append(intro())  # Sally's, newer
    for i in range(20):  # the old thread goes on, above Sally's on the first page
        google.mailbox.append(
            mail("Pat Kim <pat@example.org>", [USER], f"Jordan Lee: {i}", "Re", thread_id=old.id)
        )
    found = find(google)
    assert found.introduction and found.introduction.introducer == "Sally Smith"
    assert any("Old Friend" in n for n in found.notes)


@pytest.mark.parametrize("kind", ["messages.get", "threads.get", "batch"])
def test_401_inside_or_on_a_batch_refreshes_and_retries(google: FakeGoogle, kind: str) -> None:
    google.mailbox.append(intro())
    client = gmail(google)
    client.search("x", 1)
    tokens = google.token_calls()
    google.fail(kind, 401)
    found = lookup.find_introduction(client, USER, JORDAN, "Jordan Lee")
    assert found.complete and found.introduction
    assert found.introduction.introducer == "Sally Smith"
    assert google.token_calls() == tokens + 1


def test_recipient_named_last_first_in_the_draft(google: FakeGoogle) -> None:
    google.mailbox.append(intro(text="Jane, you should meet Jordan Lee at Acme.", cc=[]))
    assert referrer(google, name="Lee, Jordan") == "Sally Smith"
