"""A fake Google on loopback: OAuth authorize (with a consent page), token and revoke
endpoints, and the Gmail REST endpoints Intro Coach calls, answering as Google does.

The real libraries (google-auth-oauthlib, google-api-python-client, httpx) talk to it
over HTTP because the backend is configured with its URLs; nothing is patched.
"""

from __future__ import annotations

import base64
import email.message
import functools
import hashlib
import html
import itertools
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from tests.google_fake.mailbox import Message

ADDON_READ = "https://www.googleapis.com/auth/gmail.addons.current.message.readonly"
ADDON_COMPOSE = "https://www.googleapis.com/auth/gmail.addons.current.action.compose"
GMAIL_READ_SCOPES = {
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.modify",
    "https://mail.google.com/",
}


def _error(code: int, status: str, reason: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": status,
        }
    }


GMAIL_ERRORS: dict[int, dict[str, Any]] = {
    401: _error(
        401,
        "UNAUTHENTICATED",
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, "
        "login cookie or other valid authentication credential.",
    ),
    403: _error(
        403,
        "PERMISSION_DENIED",
        "insufficientPermissions",
        "Request had insufficient authentication scopes.",
    ),
    404: _error(404, "NOT_FOUND", "notFound", "Requested entity was not found."),
    429: _error(
        429, "RESOURCE_EXHAUSTED", "rateLimitExceeded", "Too many concurrent requests for user."
    ),
    500: _error(500, "INTERNAL", "backendError", "Internal error encountered."),
    503: _error(503, "UNAVAILABLE", "backendError", "The service is currently unavailable."),
}
RATE_LIMITED: dict[str, dict[str, Any]] = {
    "rateLimitExceeded": _error(
        403, "PERMISSION_DENIED", "rateLimitExceeded", "Rate Limit Exceeded"
    ),
    "userRateLimitExceeded": _error(
        403, "PERMISSION_DENIED", "userRateLimitExceeded", "User Rate Limit Exceeded"
    ),
}


@dataclass
class Fault:
    """An error the fake answers to the next `times` Gmail calls of one kind
    ("messages.list", "messages.get", "threads.get", "profile" or "batch": the batch
    request itself; gets inside a batch are "messages.get"/"threads.get")."""

    kind: str
    status: int
    reason: str | None = None  # e.g. "rateLimitExceeded" with status 403
    times: int = 1
    target: str | None = None  # only the call for this message or thread id
    retry_after: float | None = None

    def body(self) -> dict[str, Any]:
        if self.reason in RATE_LIMITED:
            return RATE_LIMITED[self.reason]
        return GMAIL_ERRORS.get(self.status, GMAIL_ERRORS[500])


@dataclass
class Grant:
    email: str
    scopes: set[str]
    refresh_token: str


@dataclass
class PendingConsent:
    client_id: str
    redirect_uri: str
    state: str
    scopes: set[str]
    challenge: str | None
    offline: bool
    include_granted: bool
    prompt_consent: bool


@dataclass
class IssuedCode:
    consent: PendingConsent
    scopes: set[str]
    used: bool = False


@dataclass
class FakeGoogle:
    """Start with `start()`; the URLs to configure are properties."""

    account: str = "jane.doe@example.com"
    client_id: str = "1234567890-fake.apps.googleusercontent.com"
    # Generated at runtime: never a literal in the repository.
    client_secret: str = field(default_factory=lambda: "GOCSPX-" + secrets.token_urlsafe(21))
    redirect_uris: list[str] = field(default_factory=list)
    mailbox: list[Message] = field(default_factory=list)
    # Test knobs.
    gmail_delay: float = 0.0
    gmail_fault: int | str | None = None  # 401/403/404/429/500 or "hang"
    grant_scopes_override: set[str] | None = None
    omit_refresh_token: bool = False
    hang_seconds: float = 30.0
    faults: list[Fault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.grants: dict[str, Grant] = {}  # by refresh token
        self.account_grant: dict[str, set[str]] = {}  # scopes already granted, by email
        self.access_tokens: dict[str, tuple[str, set[str]]] = {}  # token -> (email, scopes)
        self.consents: dict[str, PendingConsent] = {}
        self.codes: dict[str, IssuedCode] = {}
        self.revoked: list[str] = []
        self.calls: list[tuple[str, str]] = []
        # Workspace add-on: per-message Gmail tokens (X-Goog-Gmail-Access-Token) and
        # the drafts add-ons created.
        self.message_tokens: dict[str, str] = {}  # token -> message id
        self.drafts: list[dict[str, Any]] = []
        self.gmail_headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None

    # --- lifecycle ---

    def start(self) -> FakeGoogle:
        handler = type("Handler", (_Handler,), {"google": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def auth_uri(self) -> str:
        return self.url + "/o/oauth2/v2/auth"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    @property
    def revoke_uri(self) -> str:
        return self.url + "/revoke"

    @property
    def gmail_root(self) -> str:
        return self.url + "/"

    def env(self) -> dict[str, str]:
        """The backend's configuration pointing at this fake."""
        return {
            "INTRO_COACH_GOOGLE_CLIENT_ID": self.client_id,
            "INTRO_COACH_GOOGLE_CLIENT_SECRET": self.client_secret,
            "INTRO_COACH_GOOGLE_AUTH_URI": self.auth_uri,
            "INTRO_COACH_GOOGLE_TOKEN_URI": self.token_uri,
            "INTRO_COACH_GOOGLE_REVOKE_URI": self.revoke_uri,
            "INTRO_COACH_GMAIL_API_ROOT": self.gmail_root,
        }

    def gmail_calls(self) -> list[str]:
        """Every Gmail call: round trips, and each get inside a batch."""
        return [p for m, p in self.calls if p.startswith(("/gmail/", "/batch/")) or m == "BATCHED"]

    def gmail_round_trips(self) -> list[str]:
        """Gmail HTTP requests (a batch is one)."""
        return [p for m, p in self.calls if m != "BATCHED" and p.startswith(("/gmail/", "/batch/"))]

    def fail(
        self,
        kind: str,
        status: int,
        *,
        reason: str | None = None,
        times: int = 1,
        target: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Answers the next `times` calls of `kind` with an error (see Fault)."""
        with self._lock:
            self.faults.append(Fault(kind, status, reason, times, target, retry_after))

    def answer_gmail(
        self, path: str, query: dict[str, list[str]], auth: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        return _gmail_answer(self, path, query, auth)

    def _take_fault(self, kind: str, target: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.kind == kind and fault.times > 0 and fault.target in (None, target):
                    fault.times -= 1
                    return fault
        return None

    def wait(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def grant(self, scopes: set[str] | None = None) -> str:
        """A refresh token for the account, as if the user had consented (for tests that
        drive the Gmail client directly)."""
        refresh = "1//0g" + secrets.token_urlsafe(60)
        scopes = scopes or {"https://www.googleapis.com/auth/gmail.readonly"}
        with self._lock:
            self.grants[refresh] = Grant(self.account, set(scopes), refresh)
            self.account_grant[self.account] = set(scopes)
        return refresh

    def token_calls(self) -> int:
        return sum(1 for m, p in self.calls if p == "/token")

    def addon_tokens(
        self, message_id: str | None, scopes: set[str] | None = None
    ) -> tuple[str, str]:
        """What Google puts in an add-on event: the user's OAuth token (add-on scopes
        only) and the Gmail token for the open message."""
        user = "ya29.addon" + secrets.token_urlsafe(40)
        gmail = "AOaddon" + secrets.token_urlsafe(30)
        with self._lock:
            self.access_tokens[user] = (self.account, scopes or {ADDON_READ, ADDON_COMPOSE})
            self.message_tokens[gmail] = message_id or ""
        return user, gmail

    def revoke_all_at_google(self) -> None:
        """What the user does at myaccount.google.com/permissions."""
        with self._lock:
            self.grants.clear()
            self.access_tokens.clear()
            self.account_grant.clear()


class _Handler(BaseHTTPRequestHandler):
    google: FakeGoogle
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
    # and the client's delayed ACK add 40 ms to every answer, which Google does not.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # --- plumbing ---

    def _send(
        self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json; charset=UTF-8")

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/html; charset=UTF-8", {"Location": location})

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        multi = parse_qs(parts.query, keep_blank_values=True)
        query = {k: v[0] for k, v in multi.items()}
        g = self.google
        with g._lock:
            g.calls.append((method, parts.path))
        path = parts.path
        if path == "/o/oauth2/v2/auth" and method == "GET":
            self._authorize(query)
        elif path == "/o/oauth2/v2/consent" and method == "POST":
            self._consent(self._form())
        elif path == "/token" and method == "POST":
            self._token(self._form())
        elif path == "/revoke" and method == "POST":
            form = self._form()
            self._revoke(form.get("token") or query.get("token", ""))
        elif path.startswith("/gmail/v1/users/") and method == "GET":
            self._gmail(path, multi)
        elif path.startswith("/gmail/v1/users/") and path.endswith("/drafts") and method == "POST":
            self._gmail(path, multi, method="POST")
        elif path == "/batch/gmail/v1" and method == "POST":
            self._batch()
        elif path == "/_fake/state" and method == "GET":
            # For browser tests, which run this fake in another process.
            with g._lock:
                state = {"revoked": len(g.revoked), "grants": len(g.grants)}
            self._json(200, state)
        else:
            self._json(404, GMAIL_ERRORS[404])

    # --- OAuth ---

    def _authorize(self, q: dict[str, str]) -> None:
        g = self.google
        if q.get("client_id") != g.client_id:
            self._send(401, b"<h1>Error 401: invalid_client</h1>", "text/html")
            return
        if g.redirect_uris and q.get("redirect_uri") not in g.redirect_uris:
            self._send(400, b"<h1>Error 400: redirect_uri_mismatch</h1>", "text/html")
            return
        if q.get("response_type") != "code" or not q.get("scope"):
            self._send(400, b"<h1>Error 400: invalid_request</h1>", "text/html")
            return
        if q.get("code_challenge") and q.get("code_challenge_method") != "S256":
            self._send(400, b"<h1>Error 400: invalid_request</h1>", "text/html")
            return
        request_id = secrets.token_urlsafe(12)
        with g._lock:
            g.consents[request_id] = PendingConsent(
                client_id=q["client_id"],
                redirect_uri=q.get("redirect_uri", ""),
                state=q.get("state", ""),
                scopes=set(q["scope"].split()),
                challenge=q.get("code_challenge"),
                offline=q.get("access_type") == "offline",
                include_granted=q.get("include_granted_scopes") == "true",
                prompt_consent="consent" in q.get("prompt", "").split(),
            )
        scopes = "".join(f"<li>{html.escape(s)}</li>" for s in sorted(q["scope"].split()))
        page = f"""<!doctype html><html><head><title>Sign in - Google Accounts</title></head>
<body><h1>Intro Coach wants to access your Google Account</h1>
<p id="account">{html.escape(g.account)}</p><ul>{scopes}</ul>
<form method="post" action="/o/oauth2/v2/consent">
<input type="hidden" name="request_id" value="{request_id}">
<button id="deny" type="submit" name="decision" value="deny">Cancel</button>
<button id="allow" type="submit" name="decision" value="allow">Allow</button>
</form></body></html>"""
        self._send(200, page.encode(), "text/html; charset=UTF-8")

    def _consent(self, form: dict[str, str]) -> None:
        g = self.google
        with g._lock:
            consent = g.consents.pop(form.get("request_id", ""), None)
        if consent is None:
            self._send(400, b"<h1>Error 400: invalid_request</h1>", "text/html")
            return
        sep = "&" if "?" in consent.redirect_uri else "?"
        if form.get("decision") != "allow":
            params = {"error": "access_denied", "state": consent.state}
            self._redirect(consent.redirect_uri + sep + urlencode(params))
            return
        scopes = set(consent.scopes)
        with g._lock:
            if consent.include_granted:
                scopes |= g.account_grant.get(g.account, set())
        if g.grant_scopes_override is not None:
            scopes = set(g.grant_scopes_override)
        code = "4/0A" + secrets.token_urlsafe(40)
        with g._lock:
            g.codes[code] = IssuedCode(consent, scopes)
        params = {"state": consent.state, "code": code, "scope": " ".join(sorted(scopes))}
        self._redirect(consent.redirect_uri + sep + urlencode(params))

    def _token(self, form: dict[str, str]) -> None:
        g = self.google
        if form.get("client_id") != g.client_id or form.get("client_secret") != g.client_secret:
            # requests-oauthlib may send the client in HTTP Basic auth instead.
            basic = self.headers.get("Authorization", "")
            ok = False
            if basic.startswith("Basic "):
                user, _, pw = base64.b64decode(basic[6:]).decode().partition(":")
                from urllib.parse import unquote

                ok = unquote(user) == g.client_id and unquote(pw) == g.client_secret
            if not ok:
                self._json(401, {"error": "invalid_client", "error_description": "Unauthorized"})
                return
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            self._code_exchange(form)
        elif grant_type == "refresh_token":
            with g._lock:
                grant = g.grants.get(form.get("refresh_token", ""))
            if grant is None:
                self._json(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
                return
            self._json(200, self._issue_access(grant.email, grant.scopes))
        else:
            self._json(
                400,
                {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: "},
            )

    def _issue_access(self, email: str, scopes: set[str]) -> dict[str, Any]:
        token = "ya29.a0" + secrets.token_urlsafe(60)
        with self.google._lock:
            self.google.access_tokens[token] = (email, set(scopes))
        return {
            "access_token": token,
            "expires_in": 3599,
            "scope": " ".join(sorted(scopes)),
            "token_type": "Bearer",
        }

    def _code_exchange(self, form: dict[str, str]) -> None:
        g = self.google
        with g._lock:
            issued = g.codes.get(form.get("code", ""))
            reused = issued is not None and issued.used
            if issued is not None:
                issued.used = True
        if issued is None or reused:
            self._json(400, {"error": "invalid_grant", "error_description": "Bad Request"})
            return
        if form.get("redirect_uri") != issued.consent.redirect_uri:
            self._json(400, {"error": "redirect_uri_mismatch", "error_description": "Bad Request"})
            return
        if issued.consent.challenge is not None:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            if challenge != issued.consent.challenge:
                self._json(
                    400, {"error": "invalid_grant", "error_description": "Invalid code verifier."}
                )
                return
        body = self._issue_access(g.account, issued.scopes)
        with g._lock:
            first = g.account not in g.account_grant
            g.account_grant[g.account] = set(issued.scopes)
            for grant in g.grants.values():
                if grant.email == g.account:
                    grant.scopes = set(issued.scopes)
        if (
            issued.consent.offline
            and (first or issued.consent.prompt_consent)
            and not g.omit_refresh_token
        ):
            refresh = "1//0g" + secrets.token_urlsafe(60)
            with g._lock:
                g.grants[refresh] = Grant(g.account, set(issued.scopes), refresh)
            body["refresh_token"] = refresh
        body["refresh_token_expires_in"] = 604799
        self._json(200, body)

    def _revoke(self, token: str) -> None:
        g = self.google
        with g._lock:
            g.revoked.append(token)
            grant = g.grants.pop(token, None)
            access = g.access_tokens.pop(token, None)
            if grant is not None:
                g.account_grant.pop(grant.email, None)
                for t, (email, _) in list(g.access_tokens.items()):
                    if email == grant.email:
                        del g.access_tokens[t]
        if grant is None and access is None:
            self._json(
                400, {"error": "invalid_token", "error_description": "Token expired or revoked"}
            )
            return
        self._json(200, {})

    # --- Gmail ---

    def _gmail_gate(self) -> tuple[int, dict[str, Any]] | None:
        """What every Gmail HTTP request goes through: delay, the global fault knob."""
        g = self.google
        if g.gmail_delay:
            g.wait(g.gmail_delay)
        if g.gmail_fault == "hang":
            g.wait(g.hang_seconds)
            return 500, GMAIL_ERRORS[500]
        if isinstance(g.gmail_fault, int):
            return g.gmail_fault, GMAIL_ERRORS[g.gmail_fault]
        return None

    def _gmail(self, path: str, query: dict[str, list[str]], method: str = "GET") -> None:
        g = self.google
        with g._lock:
            g.gmail_headers.append({k.lower(): v for k, v in self.headers.items()})
        blocked = self._gmail_gate()
        if blocked is not None:
            self._json(*blocked)
            return
        with g._lock:
            holder = g.access_tokens.get(
                self.headers.get("Authorization", "").removeprefix("Bearer ")
            )
        if holder is not None:
            scopes = holder[1]
            if not scopes & GMAIL_READ_SCOPES and scopes & {ADDON_READ, ADDON_COMPOSE}:
                self._addon_gmail(path, scopes, method)
                return
        status, body, extra = self.google.answer_gmail(
            path, query, self.headers.get("Authorization", "")
        )
        self._send(status, json.dumps(body).encode(), "application/json; charset=UTF-8", extra)

    def _batch(self) -> None:
        """Gmail's batch endpoint: a multipart/mixed of application/http requests in,
        one of application/http responses out, each answered on its own."""
        g = self.google
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        blocked = self._gmail_gate()
        if blocked is None:
            fault = g._take_fault("batch", "")
            if fault is not None:
                blocked = (fault.status, fault.body())
        if (
            blocked is None
            and g.access_tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
            is None
        ):
            blocked = (401, GMAIL_ERRORS[401])
        if blocked is not None:
            self._json(*blocked)
            return
        ctype = self.headers.get("Content-Type", "")
        message = BytesParser().parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
        boundary = "batch_" + secrets.token_hex(8)
        out: list[str] = []
        for part in message.get_payload():
            assert isinstance(part, email.message.Message)
            content_id = str(part.get("Content-ID", ""))
            inner = part.get_payload(decode=True)
            assert isinstance(inner, bytes)
            head, _, _ = inner.decode().replace("\r\n", "\n").partition("\n\n")
            request_line, *header_lines = head.split("\n")
            verb, target, _ = request_line.split(" ", 2)
            headers = {
                k.strip().casefold(): v.strip()
                for k, _, v in (line.partition(":") for line in header_lines)
            }
            inner_parts = urlsplit(target)
            with g._lock:
                g.calls.append(("BATCHED", inner_parts.path))
            if verb != "GET":
                status, body, extra = 404, GMAIL_ERRORS[404], dict[str, str]()
            else:
                status, body, extra = g.answer_gmail(
                    inner_parts.path,
                    parse_qs(inner_parts.query, keep_blank_values=True),
                    headers.get("authorization", self.headers.get("Authorization", "")),
                )
            response_id = content_id.replace("<", "<response-", 1)
            reason = HTTPStatus(status).phrase
            extra_lines = "".join(f"{k}: {v}\r\n" for k, v in extra.items())
            out.append(
                f"--{boundary}\r\nContent-Type: application/http\r\n"
                f"Content-ID: {response_id}\r\n\r\n"
                f"HTTP/1.1 {status} {reason}\r\n"
                f"Content-Type: application/json; charset=UTF-8\r\n{extra_lines}\r\n"
                f"{json.dumps(body)}\r\n"
            )
        out.append(f"--{boundary}--\r\n")
        self._send(200, "".join(out).encode(), f"multipart/mixed; boundary={boundary}")

    def _addon_gmail(self, path: str, scopes: set[str], method: str) -> None:
        """An add-on's per-message access: the user token is not enough; the Gmail
        token for the open message must come too, and opens only that message."""
        g = self.google
        with g._lock:
            granted = g.message_tokens.get(self.headers.get("X-Goog-Gmail-Access-Token", ""))
            mailbox = list(g.mailbox)
        if granted is None:
            self._json(403, GMAIL_ERRORS[403])
            return
        opened = next((x for x in mailbox if x.id == _hex_id(granted)), None)
        m = re.fullmatch(r"/gmail/v1/users/me/(messages|threads|drafts)(?:/([^/]+))?", path)
        if m is None:
            self._json(403, GMAIL_ERRORS[403])
            return
        kind, ident = m.group(1), unquote(m.group(2) or "")
        if kind == "drafts" and method == "POST":
            if ADDON_COMPOSE not in scopes:
                self._json(403, GMAIL_ERRORS[403])
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            message = body.get("message", {})
            draft_id = "r" + secrets.token_hex(8)
            message_id = format(next(_draft_ids), "x")
            thread_id = message.get("threadId") or message_id
            with g._lock:
                g.drafts.append({"id": draft_id, "message": message})
            self._json(
                200,
                {
                    "id": draft_id,
                    "message": {"id": message_id, "threadId": thread_id, "labelIds": ["DRAFT"]},
                },
            )
            return
        allowed = opened is not None and (
            (kind == "messages" and _hex_id(ident) == opened.id)
            or (kind == "threads" and _hex_id(ident, "thread-f:") == opened.thread_id)
        )
        if method != "GET" or ADDON_READ not in scopes or not allowed or opened is None:
            self._json(403, GMAIL_ERRORS[403])
        elif kind == "messages":
            self._json(200, opened.resource())
        else:
            messages = [x.resource() for x in mailbox if x.thread_id == opened.thread_id]
            self._json(200, {"id": opened.thread_id, "historyId": "91234", "messages": messages})


_draft_ids = itertools.count(0x19A0_0000_0000_0000)


def _hex_id(value: str, prefix: str = "msg-f:") -> str:
    """Add-on events name messages "msg-f:<decimal>"; the API's ids are the same number
    in hex."""
    if value.startswith(prefix) and value[len(prefix) :].isdigit():
        return format(int(value[len(prefix) :]), "x")
    return value


def _gmail_answer(
    g: FakeGoogle, path: str, q: dict[str, list[str]], auth: str
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """One Gmail REST call: (status, JSON body, extra headers)."""
    with g._lock:
        holder = g.access_tokens.get(auth.removeprefix("Bearer "))
    if holder is None:
        return 401, GMAIL_ERRORS[401], {}
    email_address, scopes = holder
    if not scopes & GMAIL_READ_SCOPES:
        return 403, GMAIL_ERRORS[403], {}
    m = re.fullmatch(r"/gmail/v1/users/([^/]+)(/.*)", path)
    if not m or m.group(1) not in ("me", email_address):
        return 404, GMAIL_ERRORS[404], {}
    rest = m.group(2)
    first = {k: v[0] for k, v in q.items()}
    kind, target = _kind(rest)
    fault = g._take_fault(kind, target)
    if fault is not None:
        extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
        return fault.status, fault.body(), extra
    with g._lock:
        mailbox = list(g.mailbox)
    fmt = first.get("format", "full")
    wanted = q.get("metadataHeaders")
    if rest == "/profile":
        return (
            200,
            {
                "emailAddress": email_address,
                "messagesTotal": len(mailbox),
                "threadsTotal": len({x.thread_id for x in mailbox}),
                "historyId": "91234",
            },
            {},
        )
    if rest == "/messages":
        try:
            matches = search(mailbox, first.get("q", ""), email_address)
            limit = max(1, min(int(first.get("maxResults", "100")), 500))
            offset = int(first.get("pageToken") or 0)
        except ValueError:
            return 400, _error(400, "INVALID_ARGUMENT", "invalidArgument", "Invalid query"), {}
        body: dict[str, Any] = {"resultSizeEstimate": len(matches)}
        page = matches[offset : offset + limit]
        if page:
            body["messages"] = [{"id": x.id, "threadId": x.thread_id} for x in page]
        if offset + limit < len(matches):
            body["nextPageToken"] = str(offset + limit)
        return 200, body, {}
    if kind == "messages.get":
        msg = next((x for x in mailbox if x.id == target), None)
        if msg is None:
            return 404, GMAIL_ERRORS[404], {}
        return 200, msg.resource(fmt, wanted), {}
    if kind == "threads.get":
        messages = sorted(
            (x for x in mailbox if x.thread_id == target), key=lambda x: x.internal_date
        )
        if not messages:
            return 404, GMAIL_ERRORS[404], {}
        resources = [x.resource(fmt, wanted) for x in messages]
        return 200, {"id": target, "historyId": "91234", "messages": resources}, {}
    return 404, GMAIL_ERRORS[404], {}


def _kind(rest: str) -> tuple[str, str]:
    if rest == "/messages":
        return "messages.list", ""
    if rest.startswith("/messages/"):
        return "messages.get", rest.split("/")[2]
    if rest.startswith("/threads/"):
        return "threads.get", rest.split("/")[2]
    return rest.strip("/"), ""


# --- Gmail search, as much of it as Intro Coach uses, with Gmail's semantics ---

_TOKEN = re.compile(r'-?(?:\{|\}|\(|\)|[a-z_]+:"[^"]*"|"[^"]*"|[^\s{}()"]+)', re.I)
_UNITS = {"d": 1, "m": 30, "y": 365}


def search(mailbox: list[Message], query: str, me: str) -> list[Message]:
    """The messages matching a Gmail query, newest first. Understands words and
    "quoted phrases" (whole words, anywhere in the headers or text), {a b} (any),
    (a b) (all), -term (not), from: to: cc: bcc: subject: (`me` is the account),
    newer_than: / older_than: (Nd, Nm, Ny); in:, is: and label: are ignored."""
    tokens = _TOKEN.findall(query)
    position = 0

    def parse_group(closing: str | None) -> list[Any]:
        nonlocal position
        terms: list[Any] = []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            negate = token.startswith("-") and len(token) > 1
            bare = token[1:] if negate else token
            if bare == closing:
                return terms
            if bare in ("{", "("):
                terms.append(
                    (
                        negate,
                        "any" if bare == "{" else "all",
                        parse_group("}" if bare == "{" else ")"),
                    )
                )
            else:
                terms.append((negate, "term", bare))
        if closing is not None:
            raise ValueError("unbalanced query")
        return terms

    terms = parse_group(None)
    now = datetime.now(UTC)

    def term_matches(message: Message, term: str) -> bool:
        op, sep, value = term.partition(":")
        if sep and op.casefold() in ("from", "to", "cc", "bcc", "subject"):
            value = value.strip('"').casefold()
            if value == "me" and op.casefold() != "subject":
                value = me.casefold()
            return _has_words(message.field_text(op.casefold()), value)
        if sep and op.casefold() in ("newer_than", "older_than"):
            amount, unit = int(value[:-1]), value[-1:].casefold()
            if unit not in _UNITS:
                raise ValueError("bad date")
            cutoff = now - timedelta(days=amount * _UNITS[unit])
            assert message.when is not None
            return (message.when > cutoff) == (op.casefold() == "newer_than")
        if sep and op.casefold() in ("in", "is", "label"):
            return True
        return _has_words(message.field_text("all"), term.strip('"').casefold())

    def matches(message: Message, group: list[Any], mode: str) -> bool:
        results = []
        for negate, kind, value in group:
            hit = term_matches(message, value) if kind == "term" else matches(message, value, kind)
            results.append(hit != negate)
        return any(results) if mode == "any" else all(results)

    found = [x for x in mailbox if matches(x, terms, "all")]
    return sorted(found, key=lambda x: x.internal_date, reverse=True)


def _has_words(text: str, phrase: str) -> bool:
    words = phrase.split()
    if not words:
        return True
    if words[0] not in text:
        return False  # the common case, without a regular expression
    return _phrase(tuple(words)).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w@.+-])" + r"\W+".join(map(re.escape, words)) + r"(?![\w@-])")
