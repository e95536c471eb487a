"""Runs the fake Google, and optionally the backend pointed at it, for browser tests:

    python -m tests.google_fake --extension-id <id> [--port 0] [--backend-port 0]

prints one JSON line {"google": url, "backend": url, "extension_id": id} once both are
up, then serves until killed. The consent page's buttons are #allow and #deny."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import threading
from pathlib import Path

from tests.google_fake.databases import sqlite_url
from tests.google_fake.harness import running, settings_for
from tests.google_fake.mailbox import Message
from tests.google_fake.server import FakeGoogle


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.google_fake")
    parser.add_argument("--extension-id", required=True)
    parser.add_argument("--account", default="jane.doe@example.com")
    parser.add_argument("--no-backend", action="store_true")
    args = parser.parse_args()
    google = FakeGoogle(account=args.account).start()
    google.mailbox.append(
        Message(
            "Sally Smith <sally.smith@example.com>",
            [args.account],
            "Intro: Jane <> Jordan",
            "Jane, meet Jordan Lee. I'll let you two take it from here!",
            cc=["jordan@example.com"],
        )
    )
    # The conversations the extension's Gmail fixture (extension/e2e/fixtures/gmail.html)
    # shows, by the same legacy thread ids: in the one open, Jordan asked for a resume; the
    # first row of the preview pane's list is another thread, which asked for nothing.
    google.mailbox += [
        Message(
            "Sam Park <sam@example.com>",
            [args.account],
            "Team offsite",
            "Hi Jane, the offsite is on Thursday. See you there!",
            id="18c1111111111111",
            thread_id="18c1111111111111",
        ),
        Message(
            f"Jane Doe <{args.account}>",
            ["Jordan Lee <jordan@example.com>"],
            "UX research in Portland",
            "Hi Jordan, could I ask you a few questions about UX research in Portland?",
            id="18c2b7f0a1d3e4f0",
            thread_id="18c2b7f0a1d3e4f5",
        ),
        Message(
            "Jordan Lee <jordan@example.com>",
            [args.account],
            "Re: UX research in Portland",
            "Hi Jane, happy to help. Please send me your resume first.",
            id="18c2b7f0a1d3e4f9",
            thread_id="18c2b7f0a1d3e4f5",
        ),
    ]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    info = {"google": google.url, "extension_id": args.extension_id}
    try:
        if args.no_backend:
            print(json.dumps(info), flush=True)
            stop.wait()
            return 0
        with tempfile.TemporaryDirectory() as tmp:
            settings = settings_for(
                google, Path(tmp), sqlite_url(Path(tmp)), extension_ids=(args.extension_id,)
            )
            with running(settings) as (url, _):
                print(json.dumps({**info, "backend": url}), flush=True)
                stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        google.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
