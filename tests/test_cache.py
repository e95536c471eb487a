"""Caches are bounded in bytes, not entries: distinct large drafts cannot grow them."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

import pytest

from intro_coach.analyzer import analyze
from intro_coach.cache import ByteLRU, approx_size
from intro_coach.schema import AnalyzeRequest
from intro_coach.text import PARAGRAPH_MEMO, forget_paragraphs


def test_evicts_least_recently_used_past_the_budget() -> None:
    cache: ByteLRU[str] = ByteLRU(100, size=lambda key, value: len(value))
    cache.put("a", "x" * 40)
    cache.put("b", "x" * 40)
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.put("c", "x" * 40)
    assert "b" not in cache
    assert cache.get("a") is not None and cache.get("c") is not None
    assert cache.bytes == 80


def test_an_entry_larger_than_the_budget_is_not_kept() -> None:
    cache: ByteLRU[str] = ByteLRU(100, size=lambda key, value: len(value))
    cache.put("small", "x" * 10)
    cache.put("huge", "x" * 1_000)
    assert "huge" not in cache and "small" in cache
    assert cache.bytes == 10


def test_replacing_a_key_recharges_it() -> None:
    cache: ByteLRU[str] = ByteLRU(100, size=lambda key, value: len(value))
    cache.put("a", "x" * 60)
    cache.put("a", "x" * 10)
    assert cache.bytes == 10 and len(cache) == 1


def test_approx_size_grows_with_the_text() -> None:
    assert approx_size(("k", "x" * 10_000)) > 10_000
    assert approx_size(((1, 2, 3), (4, 5, 6))) > approx_size((1, 2, 3))


def _distinct_drafts(count: int, size: int) -> Iterator[AnalyzeRequest]:
    rng = random.Random(7)
    for _ in range(count):
        paragraphs: list[str] = []
        while sum(len(p) for p in paragraphs) < size:
            words = ("".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(60))
            paragraphs.append(" ".join(words) + ".")
        yield AnalyzeRequest.model_validate({"body": {"text": "\n\n".join(paragraphs)}})


@pytest.fixture
def small_memo() -> Iterator[int]:
    budget = PARAGRAPH_MEMO.max_bytes
    PARAGRAPH_MEMO.max_bytes = 1_000_000
    forget_paragraphs()
    yield PARAGRAPH_MEMO.max_bytes
    PARAGRAPH_MEMO.max_bytes = budget
    forget_paragraphs()


def test_paragraph_memo_plateaus_under_distinct_large_drafts(small_memo: int) -> None:
    peak = 0
    for draft in _distinct_drafts(12, 50_000):
        analyze(draft)
        peak = max(peak, PARAGRAPH_MEMO.bytes)
    assert 0 < peak <= small_memo
    # The budget was reached and held: old drafts made way for new ones.
    assert PARAGRAPH_MEMO.bytes > small_memo // 2
