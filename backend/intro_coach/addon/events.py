"""The event object Google POSTs to every endpoint, read defensively.

Anything missing, of the wrong type or oversized is treated as absent: the endpoint
then answers with a card that says what it could not do, never an error page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

MAX_TOKEN = 8_192
MAX_ID = 200
MAX_PARAMETERS = 50
MAX_PARAMETER = 1_000
MAX_RECIPIENTS = 100
# A pasted draft may be long; the analyzer's own limit decides what is too long, and
# anything up to here is read so that the card can say by how much.
MAX_FORM_VALUE = 1_000_000


@dataclass(frozen=True)
class Event:
    parameters: dict[str, str]
    form: dict[str, str]  # widget name -> first string value
    user_oauth_token: str | None = None
    user_id_token: str | None = None
    # None when the event does not list them (then everything the deployment declares
    # was consented to at install).
    authorized_scopes: frozenset[str] | None = None
    message_id: str | None = None
    thread_id: str | None = None
    gmail_token: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    valid: bool = True  # False when the body was not a JSON object

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.to + self.cc + self.bcc))

    def granted(self, scope: str) -> bool:
        return self.authorized_scopes is None or scope in self.authorized_scopes


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _string(value: Any, limit: int) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= limit:
        return value
    return None


def _parameters(value: Any) -> dict[str, str]:
    # Google sends a map; some samples show the [{key, value}] list the card declares.
    pairs: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        pairs = [(p.get("key"), p.get("value")) for p in value if isinstance(p, dict)]
    result: dict[str, str] = {}
    for key, item in pairs[:MAX_PARAMETERS]:
        k, v = _string(key, 100), _string(item, MAX_PARAMETER)
        if k and v is not None:
            result[k] = v
    return result


def _form(value: Any) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, item in list(_object(value).items())[:MAX_PARAMETERS]:
        values = _object(_object(item).get("stringInputs")).get("value")
        if (
            isinstance(values, list)
            and values
            and isinstance(values[0], str)
            and len(values[0]) <= MAX_FORM_VALUE
            and isinstance(name, str)
        ):
            result[name] = values[0]
    return result


def _addresses(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    found: list[str] = []
    for item in value[:MAX_RECIPIENTS]:
        raw = _string(item, 400)
        if raw:
            address = parseaddr(raw)[1].strip().lower()
            if "@" in address and len(address) <= 320:
                found.append(address)
    return tuple(found)


def _scopes(value: Any) -> frozenset[str] | None:
    if not isinstance(value, list):
        return None
    return frozenset(s for s in value[:100] if isinstance(s, str) and len(s) <= 300)


def parse(body: bytes) -> Event:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return Event({}, {}, valid=False)
    if not isinstance(data, dict):
        return Event({}, {}, valid=False)
    common = _object(data.get("commonEventObject"))
    auth = _object(data.get("authorizationEventObject"))
    gmail = _object(data.get("gmail"))
    # Google's schema spells it userOAuthToken; its Java sample reads userOauthToken.
    oauth = auth.get("userOAuthToken", auth.get("userOauthToken"))
    return Event(
        parameters=_parameters(common.get("parameters")),
        form=_form(common.get("formInputs")),
        user_oauth_token=_string(oauth, MAX_TOKEN),
        user_id_token=_string(auth.get("userIdToken"), MAX_TOKEN),
        authorized_scopes=_scopes(auth.get("authorizedScopes")),
        message_id=_string(gmail.get("messageId"), MAX_ID),
        thread_id=_string(gmail.get("threadId"), MAX_ID),
        gmail_token=_string(gmail.get("accessToken"), MAX_TOKEN),
        to=_addresses(gmail.get("toRecipients")),
        cc=_addresses(gmail.get("ccRecipients")),
        bcc=_addresses(gmail.get("bccRecipients")),
    )
