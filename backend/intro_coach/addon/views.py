"""The add-on's cards: what a user sees on the homepage, in a compose window, after a
check, and beside an open message. Pure functions from what we know to card JSON."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from intro_coach.addon import cards
from intro_coach.addon.cards import Json
from intro_coach.addon.mailbox import Introduction
from intro_coach.schema import MAX_BODY_CHARS, AnalyzeResponse, Finding

APP = "Intro Coach"
MAX_FINDINGS_SHOWN = 25
DRAFT_INPUT = "draft"
SUBJECT_INPUT = "subject"

SEVERITY: dict[str, str] = {
    # The word carries the meaning; the icon (a shape, not only a colour) repeats it.
    "error": "Fix before sending",
    "warning": "Worth fixing",
    "suggestion": "Suggestion",
}


@dataclass(frozen=True)
class Urls:
    base: str  # <public url>/addon/gmail

    @property
    def logo(self) -> str:
        return self.static("logo")

    def static(self, name: str) -> str:
        return f"{self.base}/static/{name}.png"

    def action(self, name: str) -> str:
        return f"{self.base}/actions/{name}"


@dataclass(frozen=True)
class Referral:
    name: str
    where: Literal["mailbox", "thread"]


ConnectionState = Literal["connected", "reconnect", "not_connected", "unavailable"]


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _header(urls: Urls, subtitle: str | None = None) -> Json:
    return cards.header(APP, subtitle, urls.logo)


def opener(referrer: str) -> str:
    return f"{referrer} suggested I contact you."


def _subject_buttons(urls: Urls, subjects: Sequence[str]) -> list[Json]:
    return [
        cards.button(s, on_action=cards.action(urls.action("subject"), {"subject": s}))
        for s in subjects
    ]


def _check_section(urls: Urls, referrer: str | None) -> Json:
    params = {"referrer": referrer} if referrer else None
    return cards.section(
        [
            cards.paragraph(
                "Gmail doesn't let add-ons read what you are writing. Paste your draft "
                "here for the same check the Chrome extension runs; it is not stored."
            ),
            cards.text_input(SUBJECT_INPUT, "Subject (optional)"),
            cards.text_input(
                DRAFT_INPUT, "Your draft", hint="Paste the body of your email", kind="MULTIPLE_LINE"
            ),
            cards.buttons(
                cards.button(
                    "Check", on_action=cards.action(urls.action("check"), params), filled=True
                )
            ),
        ],
        "Check your draft",
    )


def compose_card(
    urls: Urls,
    recipients: Sequence[str],
    referral: Referral | None,
    subjects: Sequence[str],
    notes: Sequence[str] = (),
    connected: bool = False,
) -> Json:
    subtitle = f"Writing to {recipients[0]}" if recipients else "Writing a new email"
    if len(recipients) > 1:
        subtitle += f" and {len(recipients) - 1} more"
    sections: list[Json] = []
    if referral is not None:
        where = (
            "From their introduction in your mailbox"
            if referral.where == "mailbox"
            else "From the introduction you are replying to"
        )
        sections.append(
            cards.section(
                [
                    cards.decorated(
                        referral.name,
                        top="Referred by",
                        bottom=where,
                        start_icon=cards.icon("Referrer", known="PERSON"),
                    )
                ],
                "Who referred you",
            )
        )
        sections.append(
            cards.section(
                [
                    cards.paragraph(
                        "A name they know is the best reason to open your email. "
                        "Press one to use it as the subject."
                    ),
                    cards.buttons(*_subject_buttons(urls, subjects)),
                ],
                "Subject lines",
            )
        )
        line = opener(referral.name)
        sections.append(
            cards.section(
                [
                    cards.decorated(line, top="Start with who sent you"),
                    cards.buttons(
                        cards.button(
                            "Insert at cursor",
                            on_action=cards.action(urls.action("opener"), {"text": line}),
                        )
                    ),
                ],
                "Opening line",
            )
        )
    else:
        text = (
            "No introduction to these recipients was found in your mailbox."
            if connected
            else "If someone referred you, name them in the subject and the first line: "
            "\u201cSally Smith suggested I contact you.\u201d Connect Gmail in the Chrome "
            "extension's options and Intro Coach finds the introduction for you."
        )
        if not recipients:
            text = "Add a recipient, then open Intro Coach again to find who referred you."
        sections.append(cards.section([cards.paragraph(_e(text))], "Who referred you"))
    if notes:
        sections.append(cards.section([cards.paragraph(_e(n)) for n in notes]))
    sections.append(_check_section(urls, referral.name if referral else None))
    return cards.card(_header(urls, subtitle), sections, name="compose")


def _finding_section(urls: Urls, finding: Finding) -> Json:
    label = SEVERITY[finding.severity]
    where = {"subject": "In the subject", "body": "In the body", "attachments": "Attachment"}[
        finding.field
    ]
    quoted = f"{where}: \u201c{finding.match}\u201d" if finding.match.strip() else where
    why = f"<b>Why?</b> {_e(finding.explanation)}"
    if finding.link:
        why += f' <a href="{html.escape(finding.link)}">Source</a>'
    widgets = [
        cards.decorated(
            _e(finding.message),
            top=label,
            bottom=_e(quoted[:200]),
            start_icon=cards.icon(label, url=urls.static(finding.severity)),
        ),
        cards.paragraph(why),
    ]
    if finding.replacements:
        widgets.append(cards.paragraph("Try: " + _e(", ".join(finding.replacements))))
    # Collapsed, the finding shows; "Why?" and the rewording unfold under it.
    return cards.section(widgets, collapsible=True, shown_when_collapsed=1)


def result_card(urls: Urls, result: AnalyzeResponse, subject_given: bool) -> Json:
    findings = result.findings
    serious = sum(f.severity in ("error", "warning") for f in findings)
    if not findings:
        summary = "Nothing to fix: this reads like an email that gets answered."
    else:
        summary = f"{len(findings)} thing{'s' if len(findings) != 1 else ''} to look at"
        if serious:
            summary += f", {serious} worth fixing before you send"
        summary += ". Unfold one to see why it matters."
    sections = [cards.section([cards.paragraph(_e(summary))])]
    sections += [_finding_section(urls, f) for f in findings[:MAX_FINDINGS_SHOWN]]
    if len(findings) > MAX_FINDINGS_SHOWN:
        hidden = len(findings) - MAX_FINDINGS_SHOWN
        sections.append(cards.section([cards.paragraph(f"And {hidden} more like these.")]))
    subjects = [s.subject for s in result.subject_suggestions]
    if subjects:
        sections.append(
            cards.section(
                [
                    cards.paragraph("Press one to use it as the subject of this draft."),
                    cards.buttons(*_subject_buttons(urls, subjects)),
                ],
                "Subject lines",
            )
        )
    notes = []
    if not subject_given:
        notes.append("Add the subject above to check it too.")
    if notes:
        sections.append(cards.section([cards.paragraph(_e(n)) for n in notes]))
    return cards.card(_header(urls, "Your draft, checked"), sections, name="result")


def problem_card(urls: Urls, title: str, text: str) -> Json:
    return cards.card(
        _header(urls, title), [cards.section([cards.paragraph(_e(text))])], name="problem"
    )


def too_long_card(urls: Urls, length: int) -> Json:
    return problem_card(
        urls,
        "That draft is too long to check",
        f"It is {length:,} characters; Intro Coach checks up to {MAX_BODY_CHARS:,}. "
        "Paste only what you wrote, without the quoted replies below it. "
        "(An email that gets answered is under 200 words.)",
    )


def homepage_card(
    urls: Urls, state: ConnectionState, email: str | None, extension_url: str
) -> Json:
    about = (
        "Intro Coach helps you write to someone you haven't met: who referred you, "
        "a subject line that names them, and a check for what costs a reply (calling it "
        "an \u201cinformational interview\u201d, an unasked-for resume, asking for a job)."
    )
    how = (
        "Open it from the add-on menu in a compose window. Open an email that introduces "
        "you to someone and it offers a reply that names who introduced you."
    )
    status = {
        "connected": f"Connected as {email}: Intro Coach looks up introductions for you.",
        "reconnect": "Google no longer accepts Intro Coach's access to your mailbox. "
        "Reconnect Gmail in the Chrome extension's options.",
        "not_connected": "Not connected. Connect Gmail in the Chrome extension's options "
        "and Intro Coach finds who introduced you.",
        "unavailable": "This Intro Coach server has no Gmail connection set up.",
    }[state]
    return cards.card(
        _header(urls, "Networking emails that get answered"),
        [
            cards.section([cards.paragraph(_e(about)), cards.paragraph(_e(how))]),
            cards.section(
                [
                    cards.decorated(
                        _e(status),
                        top="Gmail connection",
                        start_icon=cards.icon("Gmail connection", known="EMAIL"),
                    ),
                    cards.buttons(
                        cards.button("Get the Chrome extension", link=extension_url),
                    ),
                ],
                "Your mailbox",
            ),
        ],
        name="homepage",
    )


def message_card(urls: Urls, intro: Introduction | None, note: str | None = None) -> Json:
    if intro is None:
        text = (
            "Intro Coach helps when you write to someone new. Open an email that introduces "
            "you to someone, or open Intro Coach in a compose window."
        )
        widgets = [cards.paragraph(_e(text))]
        if note:
            widgets.append(cards.paragraph(_e(note)))
        return cards.card(_header(urls), [cards.section(widgets)], name="message")
    subject = f"Reply with a subject naming {intro.introducer}"
    email = _e(intro.person_email) if intro.person != intro.person_email else None
    return cards.card(
        _header(urls, "An introduction"),
        [
            cards.section(
                [
                    cards.decorated(
                        _e(intro.person),
                        top="Introduced you to",
                        bottom=email,
                        start_icon=cards.icon("Person introduced", known="PERSON"),
                    ),
                    cards.decorated(
                        _e(intro.introducer),
                        top="Introduced by",
                        start_icon=cards.icon("Introducer", known="MULTIPLE_PEOPLE"),
                    ),
                    cards.paragraph(
                        _e(
                            f"Write soon, and put {intro.introducer} in the subject: a name "
                            f"{intro.person.split()[0]} knows is why they will open it."
                        )
                    ),
                    cards.buttons(
                        cards.button(
                            subject,
                            on_action=cards.action(urls.action("reply")),
                            filled=True,
                        )
                    ),
                ]
            )
        ],
        name="introduction",
    )
