"""The Gmail round trips behind the context: find the introduction of the user and a
recipient, and whether a thread asked for a resume. Given a `Gmail` client, so the
extension's backend and the Workspace add-on can both use them.

The referrer search, per page of 20 results (newest first):
1. `messages.list` with a query that leaves out the user's and the recipient's own
   mail (`context.search_query`);
2. one batch of `threads.get(format=metadata)` for the threads of those results, so
   that the first message of a long thread (where an introduction usually is) is seen
   even when hundreds of replies came after it;
3. one batch of `messages.get(format=full)` for the candidates only: messages from
   someone other than the user and the recipient, not bulk or automated mail;
then the next page, until an introduction is found or the page budget is spent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from intro_coach.gmail.client import Batch, Gmail, GmailError, Page
from intro_coach.gmail.context import (
    MAX_THREAD_MESSAGES,
    METADATA_HEADERS,
    Introduction,
    Mail,
    asks_for_resume,
    display_name,
    introductions,
    is_bulk,
    parse,
    search_query,
)

PAGE_SIZE = 20
MAX_PAGES = 5
MAX_CANDIDATES = 20  # full messages read per page
MAX_SENDERS_PER_THREAD = 3
FIRST_MESSAGES = 30  # of a thread, looked at for who started it
THREAD_MESSAGES_READ = 20  # newest messages from others read in full for a resume ask


@dataclass(frozen=True)
class ReferrerLookup:
    introduction: Introduction | None
    complete: bool  # every message needed for the answer was read
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThreadLookup:
    resume_requested: bool
    complete: bool


def _candidates(
    thread_ids: list[str],
    listed: dict[str, list[str]],
    threads: dict[str, dict[str, Any]],
    user: str,
    recipient: str,
) -> list[str]:
    """Per thread (newest first): the first message of each other sender (up to three),
    then the listed messages themselves; never the user's, the recipient's or bulk mail."""
    chosen: list[str] = []
    for thread_id in thread_ids:
        messages = [m for m in (threads.get(thread_id) or {}).get("messages") or [] if m]
        wanted = set(listed.get(thread_id, []))
        # The first messages (where an introduction starts a thread) and the listed ones:
        # a thread of a thousand replies is not parsed a thousand times.
        mails = [
            parse(m)
            for i, m in enumerate(messages[:MAX_THREAD_MESSAGES])
            if isinstance(m, dict) and (i < FIRST_MESSAGES or m.get("id") in wanted)
        ]
        eligible = {
            mail.id: mail
            for mail in mails
            if mail.sender_email
            and mail.sender_email not in (user, recipient)
            and not is_bulk(mail)
        }
        firsts: dict[str, Mail] = {}
        for mail in eligible.values():
            if mail.sender_email not in firsts and len(firsts) < MAX_SENDERS_PER_THREAD:
                firsts[mail.sender_email] = mail
        ids = [m.id for m in firsts.values()]
        if not messages:  # the thread could not be read: try the listed messages
            ids += listed.get(thread_id, [])
        else:
            ids += [i for i in listed.get(thread_id, []) if i in eligible]
        for message_id in ids:
            if message_id not in chosen:
                chosen.append(message_id)
    return chosen[:MAX_CANDIDATES]


def _settled(found: list[Introduction], listed: set[str], oldest: int) -> bool:
    """Whether no newer introduction can be on the next pages: one the search listed
    itself (results come newest first), or one at least as new as this page's oldest
    result. One at the root of an old thread that a recent reply brought up may be
    older than what the next page holds: then one more page is read."""
    return any(i.message_id in listed or i.date >= oldest for i in found)


def _oldest(page: Page, threads: Batch) -> int:
    """The date of the oldest listed message of a page (0 when unknown)."""
    listed = {message_id for message_id, _ in page.messages}
    dates = [
        int(m.get("internalDate", 0) or 0)
        for thread in threads.found.values()
        for m in (thread.get("messages") or [])
        if isinstance(m, dict) and m.get("id") in listed
    ]
    return min(dates, default=0)


def _ambiguity(found: list[Introduction]) -> tuple[str, ...]:
    first = found[0]
    others = []
    for intro in found[1:]:
        if intro.introducer_email != first.introducer_email:
            name = intro.introducer or intro.introducer_email
            if name not in others:
                others.append(name)
    if not others:
        return ()
    chosen = first.introducer or first.introducer_email
    return (
        f"gmail: several introductions found; used the most recent, from {chosen} "
        f"(also: {', '.join(others[:3])})",
    )


def find_introduction(
    gmail: Gmail,
    user_email: str,
    recipient_email: str,
    recipient_name: str = "",
    *,
    max_pages: int = MAX_PAGES,
    page_size: int = PAGE_SIZE,
) -> ReferrerLookup:
    """The most recent message that introduced the user and the recipient."""
    user, recipient = user_email.strip().lower(), recipient_email.strip().lower()
    # As the compose window names them, maybe "Lee, Jordan": searched as "Jordan Lee".
    recipient_name = display_name(recipient_name, recipient) or ""
    query = search_query(recipient, recipient_name)
    if not query:
        return ReferrerLookup(None, True)
    found: list[Introduction] = []
    complete = True
    token: str | None = None
    pages = 0
    seen: set[str] = set()
    listed_ids: set[str] = set()
    read_on = False
    try:
        while pages < max_pages:
            page = gmail.search(query, page_size, token)
            pages += 1
            listed: dict[str, list[str]] = {}
            for message_id, thread_id in page.messages:
                if thread_id not in seen:  # a thread is read once, whatever page lists it
                    listed.setdefault(thread_id, []).append(message_id)
            thread_ids = list(listed)
            seen.update(thread_ids)
            threads = gmail.threads(thread_ids, "metadata", METADATA_HEADERS)
            complete = complete and not threads.failed
            ids = _candidates(thread_ids, listed, threads.found, user, recipient)
            full = gmail.messages(ids, "full")
            complete = complete and not full.failed
            oldest = _oldest(page, threads) if thread_ids else 0
            found += introductions(
                (full.found[i] for i in ids if i in full.found), user, recipient, recipient_name
            )
            token = page.next_page_token
            listed_ids.update(message_id for message_id, _ in page.messages)
            if not token or (found and (read_on or _settled(found, listed_ids, oldest))):
                break
            read_on = bool(found)  # one page more at most
    except GmailError:
        if not found:
            raise
        complete = False
    if not found:
        notes: tuple[str, ...] = ()
        if token and pages >= max_pages:
            who = recipient_name.strip() or recipient
            notes = (
                f"gmail: no introduction among the {pages * page_size} most recent emails "
                f"that mention {who}",
            )
        return ReferrerLookup(None, complete, notes)
    found.sort(key=lambda i: i.date, reverse=True)
    notes = _ambiguity(found)
    if found[0].introducer is None:
        notes += (
            f"gmail: {found[0].introducer_email} introduced you, but their name isn't in "
            "the email; type it as the referrer",
        )
    return ReferrerLookup(found[0], complete, notes)


def thread_asks_for_resume(gmail: Gmail, thread_id: str, user_email: str) -> ThreadLookup:
    """Whether someone other than the user asked for a resume in this thread: the
    thread's headers first, then the newest messages from others in full."""
    user = user_email.strip().lower()
    thread = gmail.thread(thread_id, "metadata", ("From",))
    if thread is None:
        return ThreadLookup(False, True)  # not a thread of this mailbox
    messages = [m for m in (thread.get("messages") or []) if isinstance(m, dict)]
    others = [
        str(m.get("id"))
        for m in messages[-MAX_THREAD_MESSAGES:]
        if parse(m).sender_email not in ("", user) and m.get("id")
    ][-THREAD_MESSAGES_READ:]
    full = gmail.messages(others, "full")
    mails = [parse(m) for m in _values(full.found, others)]
    asked = any(m.sender_email != user and asks_for_resume(m.text) for m in mails)
    return ThreadLookup(asked, asked or not full.failed)


def _values(found: dict[str, dict[str, Any]], order: Iterable[str]) -> list[dict[str, Any]]:
    return [found[i] for i in order if i in found]
