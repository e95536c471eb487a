"""A draft as the rules see it: its fields, and which words are the writer's own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from intro_coach import linear
from intro_coach.schema import AnalyzeRequest, Attachment
from intro_coach.stats import TextStats, measure
from intro_coach.text import (
    Extracted,
    find_quoted,
    html_to_text,
    mask,
    merge_spans,
)

_REPLY_SUBJECT = linear.compile(
    r"^\s*(?:re|aw|sv|antw|r|rif|fw|fwd|wg|tr)\s*(?:\[\d+\])?\s*:", linear.IGNORECASE
)
_FORWARD_SUBJECT = linear.compile(r"^\s*(?:fw|fwd|wg|tr)\s*(?:\[\d+\])?\s*:", linear.IGNORECASE)


@dataclass
class Draft:
    """The text the rules read, prepared from a request."""

    subject: str
    body: str  # the body text offsets refer to (extracted from HTML when given HTML)
    own: str  # the body with quoted history and signature blanked out
    quoted: str  # just the quoted history, for what the recipient said before
    html: Extracted | None
    attachments: list[Attachment]
    recipient_names: frozenset[str]
    is_reply: bool  # it goes on a thread: its subject and quoted mail are the thread's
    # A forward ("Fwd: ..."): on a thread too, but its own words are a new message to a
    # new reader, who gets them as a first outreach.
    is_forward: bool = False

    @cached_property
    def stats(self) -> TextStats:
        return measure(self.own)


def _fold_names(request: AnalyzeRequest) -> frozenset[str]:
    names: set[str] = set()
    # Only the people written to: a referrer is often copied ("cc'ing Sally, who
    # suggested I write"), and must still be found.
    for person in request.to:
        if person.name:
            full = person.name.casefold().strip()
            names.add(full)
            names.add(full.split()[0] if full.split() else full)
    return frozenset(names)


def prepare(request: AnalyzeRequest) -> Draft:
    html = None
    if request.body.html is not None:
        html = html_to_text(request.body.html)
        body = html.text
    else:
        body = request.body.text or ""
    found = find_quoted(body)
    spans = merge_spans([*html.excluded, *found.spans]) if html else found.spans
    own = mask(body, spans)
    quoted = "\n".join(body[start:end] for start, end in spans)
    is_reply = (
        request.thread_id is not None
        # Every reply prefix ends in a colon: most subjects have none to look for.
        or (":" in request.subject and bool(_REPLY_SUBJECT.match(request.subject)))
        or (html is not None and html.has_history)
        or found.history
    )
    forward = is_reply and ":" in request.subject and bool(_FORWARD_SUBJECT.match(request.subject))
    return Draft(
        subject=request.subject,
        body=body,
        own=own,
        quoted=quoted,
        html=html,
        attachments=request.attachments,
        recipient_names=_fold_names(request),
        is_reply=is_reply,
        is_forward=forward,
    )
