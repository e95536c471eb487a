"""For the add-on tests: Google's side of the HTTP runtime. ID tokens minted with a
local RSA key, a certificates endpoint on loopback, and event objects shaped like the
ones Google POSTs."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt, jwt

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "backend/intro_coach/addon/cards.schema.json"
SERVICE_ACCOUNT = "service-123456789012@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
CLIENT_ID = "123456789012-addon.apps.googleusercontent.com"
PUBLIC_URL = "https://coach.example.test"
KID = "k1"


@cache
def private_pem(name: str) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(name: str) -> str:
    key = serialization.load_pem_private_key(private_pem(name), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def mint(
    audience: str,
    *,
    email: str = SERVICE_ACCOUNT,
    issuer: str = "https://accounts.google.com",
    email_verified: bool = True,
    expires_in: int = 3600,
    key: str = "google",
    kid: str = KID,
    **extra: Any,
) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "azp": "117700000000000000000",
        "sub": "117700000000000000000",
        "email": email,
        "email_verified": email_verified,
        "iat": now - 10 if expires_in > 0 else now - 7200,
        "exp": now + expires_in,
        **extra,
    }
    signer = crypt.RSASigner.from_string(private_pem(key), key_id=kid)  # type: ignore[no-untyped-call]
    token: bytes = jwt.encode(signer, claims)  # type: ignore[no-untyped-call]
    return token.decode()


def system_token(path: str, **kwargs: Any) -> str:
    return mint(PUBLIC_URL + path, **kwargs)


def user_token(email: str, **kwargs: Any) -> str:
    return mint(CLIENT_ID, email=email, **kwargs)


@dataclass
class Certs:
    """Google's certificates endpoint, {kid: PEM}, with the Cache-Control Google sends."""

    keys: dict[str, str] = field(default_factory=lambda: {KID: public_pem("google")})
    max_age: int = 3600
    cache_control: str | None = "default"  # None: no header at all
    padding: int = 0  # extra bytes, to test the size cap
    hits: int = 0

    def start(self) -> Certs:
        certs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                certs.hits += 1
                body = json.dumps({**certs.keys, "pad": "x" * certs.padding}).encode()
                if not certs.padding:
                    body = json.dumps(certs.keys).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                control = certs.cache_control
                if control == "default":
                    control = f"public, max-age={certs.max_age}, must-revalidate, no-transform"
                if control is not None:
                    self.send_header("Cache-Control", control)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/oauth2/v1/certs"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def env(certs: Certs) -> dict[str, str]:
    return {
        "INTRO_COACH_ADDON_SERVICE_ACCOUNT": SERVICE_ACCOUNT,
        "INTRO_COACH_ADDON_CLIENT_ID": CLIENT_ID,
        "INTRO_COACH_ADDON_CERTS_URL": certs.url,
        "INTRO_COACH_PUBLIC_URL": PUBLIC_URL,
    }


# --- event objects, as Google's HTTP runtime documents them ---

ALL_SCOPES = [
    "https://www.googleapis.com/auth/gmail.addons.execute",
    "https://www.googleapis.com/auth/gmail.addons.current.message.readonly",
    "https://www.googleapis.com/auth/gmail.addons.current.message.metadata",
    "https://www.googleapis.com/auth/gmail.addons.current.action.compose",
    "https://www.googleapis.com/auth/userinfo.email",
]


def event(
    *,
    user_email: str | None = None,
    oauth_token: str | None = None,
    oauth_spelling: str = "userOAuthToken",
    scopes: list[str] | None = None,
    gmail: dict[str, Any] | None = None,
    parameters: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> dict[str, Any]:
    common: dict[str, Any] = {"hostApp": "GMAIL", "platform": "WEB", "userLocale": "en"}
    if parameters:
        common["parameters"] = parameters
    if form:
        common["formInputs"] = {k: {"stringInputs": {"value": [v]}} for k, v in form.items()}
    auth: dict[str, Any] = {
        "systemIdToken": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        "authorizedScopes": ALL_SCOPES if scopes is None else scopes,
    }
    if user_email:
        auth["userIdToken"] = user_token(user_email)
    if oauth_token:
        auth[oauth_spelling] = oauth_token
    result: dict[str, Any] = {"commonEventObject": common, "authorizationEventObject": auth}
    if gmail is not None:
        result["gmail"] = gmail
    return result


def compose_event(to: list[str], **kwargs: Any) -> dict[str, Any]:
    gmail = {"toRecipients": to, "ccRecipients": [], "bccRecipients": [], **kwargs.pop("gmail", {})}
    return event(gmail=gmail, **kwargs)


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def valid_response(data: Any) -> list[str]:
    """Why this add-on response is not valid card JSON (empty when it is)."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator().iter_errors(data)
    ]


def widgets(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for s in card.get("sections", []) for w in s["widgets"]]


def texts(card: dict[str, Any]) -> str:
    """Every string a user reads on the card, one per line."""
    found: list[str] = [card["header"].get("title", ""), card["header"].get("subtitle", "")]
    for section in card.get("sections", []):
        found.append(section.get("header", ""))
        for w in section["widgets"]:
            for kind in ("textParagraph", "decoratedText", "textInput"):
                for key in ("topLabel", "text", "bottomLabel", "label", "hintText"):
                    found.append(w.get(kind, {}).get(key, ""))
            for b in w.get("buttonList", {}).get("buttons", []):
                found.append(b["text"])
    return "\n".join(t for t in found if t)


def buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["text"]: b for w in widgets(card) for b in w.get("buttonList", {}).get("buttons", [])}


def pushed(response: dict[str, Any]) -> dict[str, Any]:
    render = response.get("renderActions", response)
    card: dict[str, Any] = render["action"]["navigations"][0]["pushCard"]
    return card
