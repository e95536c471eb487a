"""The extension's id is fixed by its manifest key, and the backend allows it by default."""

import base64
import hashlib
import json
from pathlib import Path

import pytest

from intro_coach.config import EXTENSION_ID, Settings

MANIFEST = Path(__file__).resolve().parents[1] / "extension" / "static" / "manifest.json"


def extension_id(public_key_b64: str) -> str:
    """Chrome's rule: the first 32 hex digits of the key's SHA-256, 0-f spelled a-p."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def test_the_manifest_key_gives_the_id_the_backend_allows() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert extension_id(manifest["key"]) == EXTENSION_ID
    assert Settings().extension_ids == (EXTENSION_ID,)


def test_the_default_allow_list_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTRO_COACH_EXTENSION_IDS", raising=False)
    assert Settings.from_env().extension_ids == (EXTENSION_ID,)


def test_an_operator_can_allow_other_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTRO_COACH_EXTENSION_IDS", "aaaabbbbccccddddeeeeffffgggghhhh")
    assert Settings.from_env().extension_ids == ("aaaabbbbccccddddeeeeffffgggghhhh",)
