"""What the analyzer knows of grammar checking: paragraphs in, matches out.

Matches are positioned in UTF-16 code units within their paragraph (LanguageTool's
unit, and the one every finding uses). Where they come from (a LanguageTool server,
see `languagetool`) is none of the analyzer's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Status = Literal["ok", "unavailable", "timeout"]


@dataclass(frozen=True)
class GrammarSettings:
    """What LanguageTool is asked to check."""

    language: str = "en-US"
    picky: bool = False


@dataclass(frozen=True)
class GrammarMatch:
    """One LanguageTool match, positioned in UTF-16 code units within its paragraph."""

    rule_id: str
    issue_type: str  # LanguageTool's: misspelling, grammar, style, typographical, ...
    category: str
    message: str
    replacements: tuple[str, ...]
    start: int
    length: int


@dataclass(frozen=True)
class GrammarResult:
    """What a grammar check found, paragraph by paragraph, and how it went."""

    # One entry per paragraph asked about, None where no answer was ready in time.
    matches: list[tuple[GrammarMatch, ...] | None]
    status: Status
    note: str | None = None


class GrammarChecker(Protocol):
    def check(
        self, paragraphs: Sequence[str], settings: GrammarSettings, *, deadline: float
    ) -> GrammarResult:
        """Check the paragraphs, returning by `deadline` (a `time.monotonic()` value)."""
        ...
