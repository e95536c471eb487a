"""Card JSON for Workspace add-ons (Google's card v1 shapes), built by small functions.

Each function returns plain JSON-ready data; `schema/cards.schema.json` describes every
widget used here and the tests validate each card the service returns against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

Json = dict[str, Any]
TextInputType = Literal["SINGLE_LINE", "MULTIPLE_LINE"]


def card(
    header: Json, sections: Iterable[Json], *, name: str | None = None, footer: Json | None = None
) -> Json:
    result: Json = {"header": header, "sections": [s for s in sections if s["widgets"]]}
    if name:
        result["name"] = name
    if footer:
        result["fixedFooter"] = footer
    return result


def header(title: str, subtitle: str | None = None, logo_url: str | None = None) -> Json:
    result: Json = {"title": title}
    if subtitle:
        result["subtitle"] = subtitle
    if logo_url:
        result.update(imageUrl=logo_url, imageType="CIRCLE", imageAltText="Intro Coach logo")
    return result


def section(
    widgets: Iterable[Json],
    title: str | None = None,
    *,
    collapsible: bool = False,
    shown_when_collapsed: int = 0,
) -> Json:
    result: Json = {"widgets": list(widgets)}
    if title:
        result["header"] = title
    if collapsible:
        result["collapsible"] = True
        result["uncollapsibleWidgetsCount"] = shown_when_collapsed
    return result


def paragraph(text: str) -> Json:
    return {"textParagraph": {"text": text}}


def icon(alt: str, *, url: str | None = None, known: str | None = None) -> Json:
    """A hosted PNG (`url`) or one of Google's built-in icons (`known`, e.g. PERSON)."""
    result: Json = {"iconUrl": url} if url else {"knownIcon": known}
    result["altText"] = alt
    return result


PRIMARY = {"red": 0.102, "green": 0.451, "blue": 0.910}  # the add-on's #1a73e8


def decorated(
    text: str,
    *,
    top: str | None = None,
    bottom: str | None = None,
    start_icon: Json | None = None,
    button: Json | None = None,
) -> Json:
    body: Json = {"text": text, "wrapText": True}
    if top:
        body["topLabel"] = top
    if bottom:
        body["bottomLabel"] = bottom
    if start_icon:
        body["startIcon"] = start_icon
    if button:
        body["button"] = button
    return {"decoratedText": body}


def action(function_url: str, parameters: Mapping[str, str] | None = None) -> Json:
    result: Json = {"function": function_url}
    if parameters:
        result["parameters"] = [{"key": k, "value": v} for k, v in parameters.items()]
    return result


def button(
    text: str,
    *,
    on_action: Json | None = None,
    link: str | None = None,
    filled: bool = False,
    alt: str | None = None,
) -> Json:
    result: Json = {"text": text}
    if on_action is not None:
        result["onClick"] = {"action": on_action}
    elif link is not None:
        result["onClick"] = {"openLink": {"url": link}}
    if filled:
        result["color"] = PRIMARY
    if alt:
        result["altText"] = alt
    return result


def buttons(*items: Json) -> Json:
    return {"buttonList": {"buttons": list(items)}}


def text_input(
    name: str, label: str, *, hint: str | None = None, kind: TextInputType = "SINGLE_LINE"
) -> Json:
    body: Json = {"name": name, "label": label, "type": kind}
    if hint:
        body["hintText"] = hint
    return {"textInput": body}


def divider() -> Json:
    return {"divider": {}}


# --- responses ---


def push(card_json: Json, notify: str | None = None) -> Json:
    """A trigger's answer (homepage, message, compose): a RenderActions."""
    result: Json = {"action": {"navigations": [{"pushCard": card_json}]}}
    if notify:
        result["action"]["notification"] = {"text": notify}
    return result


def on_click(render: Json) -> Json:
    """A button callback's answer: the RenderActions wrapped as Google's samples do."""
    return {"renderActions": render}


def update_card(card_json: Json) -> Json:
    return on_click({"action": {"navigations": [{"updateCard": card_json}]}})


def pushed_card(card_json: Json) -> Json:
    return on_click({"action": {"navigations": [{"pushCard": card_json}]}})


def notification(text: str) -> Json:
    return on_click({"action": {"notification": {"text": text}}})


def update_draft(markup: Json, notify: str) -> Json:
    return on_click(
        {
            "action": {"notification": {"text": notify}},
            "hostAppAction": {"gmailAction": {"updateDraftActionMarkup": markup}},
        }
    )


def set_subject(subject: str, notify: str) -> Json:
    return update_draft({"updateSubject": {"subject": subject}}, notify)


def insert_text(text: str, notify: str) -> Json:
    """Inserts plain text at the cursor (replacing any selection)."""
    markup = {
        "updateBody": {
            "type": "IN_PLACE_INSERT",
            "insertContents": [{"content": text, "contentType": "TEXT"}],
        }
    }
    return update_draft(markup, notify)


def open_created_draft(draft_id: str, message_id: str, thread_id: str, notify: str) -> Json:
    markup = {"draftId": draft_id, "draftStorageId": message_id, "draftThreadId": thread_id}
    return on_click(
        {
            "action": {"notification": {"text": notify}},
            "hostAppAction": {"gmailAction": {"openCreatedDraftActionMarkup": markup}},
        }
    )


def request_scopes(scopes: Iterable[str]) -> Json:
    """Asks Google to get the user's consent to these scopes, then repeat the action."""
    return {"requesting_google_scopes": {"scopes": list(scopes)}}
