"""The add-on's pasted-draft check with grammar on: LanguageTool's findings appear on
the card beside the rules' (real uvicorn, real LanguageTool, fake Google certificates)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from intro_coach.languagetool_process import LanguageToolProcess
from tests import addon_support as g
from tests.conftest import Server, start_server
from tests.google_fake import FakeGoogle


@pytest.fixture(scope="module")
def addon_server(
    languagetool: LanguageToolProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    certs = g.Certs().start()
    google = FakeGoogle(account="jane.doe@example.com").start()
    env = {
        **google.env(),
        **g.env(certs),
        "INTRO_COACH_LANGUAGETOOL_URL": languagetool.url,
        "INTRO_COACH_GRAMMAR_DEADLINE_MS": "60000",
    }
    running = start_server(tmp_path_factory.mktemp("addon-grammar"), env)
    yield running
    running.stop()
    google.stop()
    certs.stop()


def test_pasted_draft_shows_spelling_beside_the_advice(addon_server: Server) -> None:
    path = "/addon/gmail/actions/check"
    draft = (
        "Hi Jordan,\n\nSally Smith suggested I contact you. I has a question about your "
        "wrk. Could we do an informational interview?\n\nBest,\nJane"
    )
    body: dict[str, Any] = g.compose_event(
        ["jordan@example.com"], form={"draft": draft, "subject": "Quick question"}
    )
    response = httpx.post(
        addon_server.url + path,
        json=body,
        headers={"Authorization": f"Bearer {g.system_token(path)}"},
        timeout=60,
    )
    assert response.status_code == 200
    text = g.texts(g.pushed(response.json()))
    assert "Possible spelling mistake found." in text
    assert "informational interview" in text.lower()
