"""Which Google scopes each opt-in feature needs: the narrowest that work.

Both features read message text (a thread's replies, an introduction's body), which
`gmail.metadata` does not give and `users.messages.list` with a query does not allow,
so both need `gmail.readonly`; nothing asks to send, modify or delete.
"""

from __future__ import annotations

from collections.abc import Iterable

GMAIL_READONLY = "https://www.googleapis.com/auth/gmail.readonly"
# Scopes that include read access, should Google return a broader grant.
_READ_EQUIVALENTS = {
    GMAIL_READONLY,
    "https://www.googleapis.com/auth/gmail.modify",
    "https://mail.google.com/",
}

FEATURES: dict[str, tuple[str, ...]] = {
    # Did the recipient ask for a resume in the thread being replied to?
    "thread": (GMAIL_READONLY,),
    # Who introduced the user and the recipient?
    "referrer": (GMAIL_READONLY,),
}
DEFAULT_FEATURES = ("thread", "referrer")


class UnknownFeature(ValueError):
    pass


def parse_features(value: str | None) -> tuple[str, ...]:
    if not value:
        return DEFAULT_FEATURES
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in FEATURES]
    if unknown or not names:
        known = ", ".join(FEATURES)
        raise UnknownFeature(f"unknown feature {', '.join(unknown) or '(none)'}; known: {known}")
    return names


def scopes_for(features: Iterable[str]) -> list[str]:
    return sorted({scope for f in features for scope in FEATURES[f]})


def _has(granted: set[str], scope: str) -> bool:
    if scope == GMAIL_READONLY:
        return bool(granted & _READ_EQUIVALENTS)
    return scope in granted


def features_granted(features: Iterable[str], granted: Iterable[str]) -> tuple[str, ...]:
    """The features whose scopes are all in what Google granted (which may be more or
    fewer than asked for)."""
    have = set(granted)
    return tuple(
        f for f in FEATURES if f in set(features) and all(_has(have, s) for s in FEATURES[f])
    )
