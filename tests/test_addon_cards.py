"""The card schema bites, and the deployment descriptor the command prints is the one
kept in deploy/addon/."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import pytest

from intro_coach.addon import cards
from tests import addon_support as g
from tests.conftest import ROOT

GOOD: dict[str, Any] = cards.push(
    cards.card(
        cards.header("Intro Coach", "Subtitle", "https://coach.example.org/logo.png"),
        [
            cards.section(
                [
                    cards.decorated(
                        "Don't ask for a job.",
                        top="Fix before sending",
                        start_icon=cards.icon("Fix before sending", url="https://x.example/e.png"),
                    ),
                    cards.paragraph("<b>Why?</b> Because."),
                ],
                collapsible=True,
                shown_when_collapsed=1,
            ),
            cards.section(
                [
                    cards.text_input("draft", "Your draft", kind="MULTIPLE_LINE"),
                    cards.buttons(
                        cards.button(
                            "Check",
                            on_action=cards.action("https://coach.example.org/a", {"k": "v"}),
                            filled=True,
                        ),
                        cards.button("Docs", link="https://coach.example.org/docs"),
                    ),
                    cards.divider(),
                ]
            ),
        ],
    )
)


def test_the_builders_make_valid_cards_and_responses() -> None:
    assert g.valid_response(GOOD) == []
    for response in (
        cards.set_subject("Sally Smith suggested I contact you", "Subject set"),
        cards.insert_text("Sally Smith suggested I contact you.", "Inserted"),
        cards.open_created_draft("r1", "m1", "t1", "Draft created"),
        cards.notification("Paste your draft first."),
        cards.request_scopes([g.ALL_SCOPES[0]]),
        cards.pushed_card(GOOD["action"]["navigations"][0]["pushCard"]),
        cards.update_card(GOOD["action"]["navigations"][0]["pushCard"]),
    ):
        assert g.valid_response(response) == [], response


def _widget(data: dict[str, Any], section: int, widget: int) -> dict[str, Any]:
    card: dict[str, Any] = data["action"]["navigations"][0]["pushCard"]
    found: dict[str, Any] = card["sections"][section]["widgets"][widget]
    return found


def broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    first = _widget(data, 0, 0)
    if change == "two kinds in one widget":
        first["textParagraph"] = {"text": "x"}
    elif change == "misspelt field":
        first["decoratedText"]["toplabel"] = "x"
    elif change == "icon with url and known icon":
        first["decoratedText"]["startIcon"]["knownIcon"] = "PERSON"
    elif change == "unknown built-in icon":
        first["decoratedText"]["startIcon"] = {"knownIcon": "WARNING", "altText": "x"}
    elif change == "button without onClick":
        del _widget(data, 1, 1)["buttonList"]["buttons"][0]["onClick"]
    elif change == "parameters as a map":
        button = _widget(data, 1, 1)["buttonList"]["buttons"][0]
        button["onClick"]["action"]["parameters"] = {"k": "v"}
    elif change == "empty section":
        data["action"]["navigations"][0]["pushCard"]["sections"][1]["widgets"] = []
    elif change == "text input kind":
        _widget(data, 1, 0)["textInput"]["type"] = "MULTILINE"
    elif change == "header without title":
        del data["action"]["navigations"][0]["pushCard"]["header"]["title"]
    return data


@pytest.mark.parametrize(
    "change",
    [
        "two kinds in one widget",
        "misspelt field",
        "icon with url and known icon",
        "unknown built-in icon",
        "button without onClick",
        "parameters as a map",
        "empty section",
        "text input kind",
        "header without title",
    ],
)
def test_the_schema_refuses_broken_cards(change: str) -> None:
    assert g.valid_response(broken(change)) != []


def test_the_schema_refuses_an_html_content_type() -> None:
    data = cards.insert_text("x", "Inserted")
    markup = data["renderActions"]["hostAppAction"]["gmailAction"]["updateDraftActionMarkup"]
    markup["updateBody"]["insertContents"][0]["contentType"] = "HTML"
    assert g.valid_response(data) != []


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intro_coach", "addon", "deployment", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_printed_descriptor_is_the_example_in_deploy() -> None:
    printed = run_cli("--url", "https://coach.example.org")
    assert printed.returncode == 0, printed.stderr
    kept = (ROOT / "deploy" / "addon" / "deployment.json").read_text()
    assert json.loads(printed.stdout) == json.loads(kept)


def test_the_descriptor_asks_only_for_narrow_scopes_and_points_at_the_url() -> None:
    descriptor = json.loads(run_cli("--url", "https://coach.example.org/").stdout)
    scopes = descriptor["oauthScopes"]
    assert all(
        s.startswith("https://www.googleapis.com/auth/gmail.addons.")
        or s == "https://www.googleapis.com/auth/userinfo.email"
        for s in scopes
    )
    assert "https://www.googleapis.com/auth/gmail.addons.current.action.compose" in scopes
    addons = descriptor["addOns"]
    assert addons["httpOptions"]["authorizationHeader"] == "SYSTEM_ID_TOKEN"
    assert addons["gmail"]["composeTrigger"]["draftAccess"] == "METADATA"
    assert addons["gmail"]["contextualTriggers"] == [
        {"unconditional": {}, "onTriggerFunction": "https://coach.example.org/addon/gmail/message"}
    ]
    action = addons["gmail"]["composeTrigger"]["actions"][0]
    assert set(action) == {"runFunction", "label", "logoUrl"}
    assert action["runFunction"] == "https://coach.example.org/addon/gmail/compose"
    common = addons["common"]
    assert common["homepageTrigger"]["runFunction"].endswith("/addon/gmail/homepage")
    assert common["logoUrl"] == "https://coach.example.org/addon/gmail/static/logo.png"


@pytest.mark.parametrize("url", ["http://coach.example.org", "coach.example.org", "https://x/?a=1"])
def test_the_descriptor_needs_a_public_https_url(url: str) -> None:
    result = run_cli("--url", url)
    assert result.returncode == 2
    assert "https://" in result.stderr
    assert result.stdout == ""
