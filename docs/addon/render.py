"""Renders the README's pictures of the add-on: the real service answers Google-shaped
events (through a fake Google and a local certificates endpoint), and headless Chromium
draws the card JSON with preview.html.

    .venv/bin/python docs/addon/render.py      # writes docs/addon/*.json and *.png
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from tests import addon_support as g  # noqa: E402
from tests.conftest import start_server  # noqa: E402
from tests.google_fake import FakeGoogle, Message  # noqa: E402

USER = "jane.doe@example.com"
DRAFT = (
    "Hi Jordan,\n\nSally Smith suggested I contact you. I'm a high school teacher moving "
    "into UX research, and I was hoping you'd have time for an informational interview.\n\n"
    "I've attached my resume. Are there any openings on your team?\n\nBest,\nJane"
)
SHOTS = {"compose": 975, "result": 1465}  # CSS pixels tall


def main() -> None:
    certs = g.Certs().start()
    google = FakeGoogle(account=USER).start()
    intro = Message(
        "Sally Smith <sally.smith@example.com>",
        ["Jane Doe <jane.doe@example.com>"],
        "Intro: Jane <> Jordan",
        "Jane, meet Jordan Lee: he leads design research at Acme. Jordan, Jane is moving "
        "into UX. I'll let you two take it from here!",
        cc=["Jordan Lee <jordan@example.com>"],
    )
    google.mailbox.append(intro)
    work = Path(tempfile.mkdtemp())
    server = start_server(work, {**google.env(), **g.env(certs)})
    try:

        def post(path: str, body: dict[str, object]) -> dict[str, object]:
            token = g.system_token(path)
            response = httpx.post(
                server.url + path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            response.raise_for_status()
            data: dict[str, object] = response.json()
            assert g.valid_response(data) == []
            return data

        user_token, gmail_token = google.addon_tokens(intro.id)
        ids = {"messageId": f"msg-f:{int(intro.id, 16)}", "accessToken": gmail_token}
        compose = post(
            "/addon/gmail/compose",
            g.compose_event(
                ["jordan@example.com"], user_email=USER, oauth_token=user_token, gmail=ids
            ),
        )
        result = post(
            "/addon/gmail/actions/check",
            g.compose_event(
                ["jordan@example.com"],
                form={"draft": DRAFT, "subject": "Informational interview request"},
                parameters={"referrer": "Sally Smith"},
            ),
        )
    finally:
        server.stop()
        google.stop()
        certs.stop()
        shutil.rmtree(work, ignore_errors=True)
    for name, data in (("compose", compose), ("result", result)):
        (HERE / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
        page = (HERE / "preview.html").as_uri()
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=2",
                f"--window-size=341,{SHOTS[name]}",
                f"--screenshot={HERE / (name + '.png')}",
                f"{page}#{quote(json.dumps(data))}",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        print(HERE / f"{name}.png")


if __name__ == "__main__":
    main()
