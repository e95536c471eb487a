"""The rules: phrase lists from the rule pack, and whole-email checks."""

from __future__ import annotations

from typing import NamedTuple

from intro_coach.schema import FieldName, Severity


class Hit(NamedTuple):
    """One thing a rule found, before ids, UTF-16 offsets and options are applied.
    (A named tuple: a dozen per request, and a frozen dataclass costs several times as
    much to build.)

    Offsets are code points into the field's text; a check about the whole email that
    has no natural place to point at uses an empty span at 0.
    """

    rule: str
    severity: Severity
    field: FieldName
    start: int
    end: int
    match: str
    message: str
    explanation: str
    link: str | None
    replacements: tuple[str, ...] = ()
    attachment: str | None = None
    # What the finding's id is made from when the match itself changes with every edit
    # (the words past the length limit, the subject being typed); None means the match.
    key: str | None = None
