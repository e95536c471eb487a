"""Grammar and spelling from a LanguageTool server, a paragraph at a time.

A `GrammarChecker` over one LanguageTool server, through `language-tool-python`
(`remote_server=`, for a local server and a remote one alike):

- Results are remembered per paragraph (its text and the settings), in a cache bounded
  in bytes, so a keystroke sends only the paragraph that changed.
- The paragraphs a call still needs go to the server in one request, on one worker
  thread: `language-tool-python` keeps offset state on its `Match` class, so two checks
  at once could give each other's offsets.
- The caller gives a deadline; what is ready by then is returned, and a request still
  running finishes in the background and fills the cache for the next call.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from dataclasses import dataclass

from language_tool_python import LanguageTool
from language_tool_python.exceptions import LanguageToolError
from language_tool_python.match import Match

from intro_coach import metrics
from intro_coach.analyzer import Context, analyze_grammar
from intro_coach.cache import ByteLRU
from intro_coach.config import Settings
from intro_coach.grammar import GrammarMatch, GrammarResult, GrammarSettings
from intro_coach.languagetool_process import LanguageToolProcess, why_not_local
from intro_coach.schema import AnalyzeRequest, Checks, GrammarResponse
from intro_coach.text import utf16_len

# Joins the paragraphs of one request; a blank line keeps LanguageTool from reading two
# paragraphs as one sentence.
_SEPARATOR = "\n\n"
_Key = tuple[GrammarSettings, str]


def _estimate(key: Hashable, matches: tuple[GrammarMatch, ...]) -> int:
    # Roughly what CPython holds: the key's text, and per match its strings and fields.
    text = key[1] if isinstance(key, tuple) else ""
    size = 200 + 4 * len(text)
    for m in matches:
        strings = (m.rule_id, m.issue_type, m.category, m.message, *m.replacements)
        size += 300 + sum(60 + 4 * len(s) for s in strings)
    return size


class _Client(LanguageTool):
    # language-tool-python waits 300 s per try by default; a hung server must not hold
    # the worker that long (each check tries twice). A first check of a new pipeline (the
    # picky level, say) can take seconds on a busy machine, so not much less either.
    _TIMEOUT = 10  # type: ignore[assignment]


class Unavailable(Exception):
    """The server refused the connection, failed, or answered something unreadable."""


@dataclass
class _Job:
    paragraphs: tuple[str, ...]
    settings: GrammarSettings
    future: Future[None]


class LanguageToolChecker:
    """A `GrammarChecker` backed by one LanguageTool server (`remote_server=`)."""

    def __init__(
        self,
        url: str,
        *,
        cache_bytes: int = 8 * 1024 * 1024,
        request_timeout: float = 10.0,
        max_backlog: int = 2,
        on_request: Callable[[], None] | None = None,
    ) -> None:
        self.url = url
        self._request_timeout = request_timeout
        self._cache: ByteLRU[tuple[GrammarMatch, ...]] = ByteLRU(
            cache_bytes, _estimate, name="grammar_paragraphs"
        )
        # A daemon thread, not an executor's: a request hung on a dead server must not
        # hold the service's exit until its timeout.
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._work, name="languagetool", daemon=True)
        self._worker.start()
        self._client: _Client | None = None
        self._client_language = ""
        self._lock = threading.Lock()
        self._inflight: dict[_Key, Future[None]] = {}
        self._backlog = 0
        self._max_backlog = max_backlog
        self._last_error: str | None = None
        self._on_request = on_request

    def check(
        self, paragraphs: Sequence[str], settings: GrammarSettings, *, deadline: float
    ) -> GrammarResult:
        found: list[tuple[GrammarMatch, ...] | None] = []
        waiting: set[Future[None]] = set()
        missing: list[str] = []
        with self._lock:
            for text in paragraphs:
                key = (settings, text)
                cached = self._cache.get(key) if text.strip() else ()
                found.append(cached)
                if cached is not None:
                    continue
                running = self._inflight.get(key)
                if running is not None:
                    waiting.add(running)
                elif text not in missing:
                    missing.append(text)
            if missing and self._backlog < self._max_backlog:
                job = _Job(tuple(missing), settings, Future())
                for text in missing:
                    self._inflight[(settings, text)] = job.future
                self._backlog += 1
                self._jobs.put(job)
                waiting.add(job.future)
                missing = []
        done, _ = wait_for(waiting, timeout=max(0.0, deadline - time.monotonic()))
        failed = any(f.exception() is not None for f in done)
        for i, text in enumerate(paragraphs):
            if found[i] is None:
                found[i] = self._cache.get((settings, text))
        self._cache.report()  # once per check, as the analyzer's memo does per request
        ready = sum(1 for m in found if m is not None)
        if ready == len(found):
            return GrammarResult(found, "ok")
        if failed or (self._last_error and not waiting):
            return GrammarResult(found, "unavailable", self._last_error)
        return GrammarResult(
            found, "timeout", f"{ready} of {len(found)} paragraphs checked before the deadline"
        )

    def forget(self) -> None:
        """Drop every remembered result (cold-start benchmarks and tests)."""
        self._cache.clear()

    def close(self) -> None:
        self._jobs.put(None)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            self._run(job)

    @property
    def cache_bytes(self) -> int:
        return self._cache.bytes

    def _run(self, job: _Job) -> None:
        try:
            results = self._check_now(job.paragraphs, job.settings)
        except Unavailable as exc:
            self._last_error = str(exc)
            job.future.set_exception(exc)
        except BaseException as exc:  # the worker must always release its paragraphs
            self._last_error = f"LanguageTool check failed ({type(exc).__name__})"
            job.future.set_exception(Unavailable(self._last_error))
        else:
            self._last_error = None
            for text, matches in zip(job.paragraphs, results, strict=True):
                self._cache.put((job.settings, text), matches)
            job.future.set_result(None)
        finally:
            with self._lock:
                for text in job.paragraphs:
                    if self._inflight.get((job.settings, text)) is job.future:
                        del self._inflight[(job.settings, text)]
                self._backlog -= 1

    def _check_now(
        self, paragraphs: tuple[str, ...], settings: GrammarSettings
    ) -> list[tuple[GrammarMatch, ...]]:
        text = _SEPARATOR.join(paragraphs)
        try:
            with metrics.call("grammar", "check"):
                client = self._connect(settings.language)
                client.picky = settings.picky
                if self._on_request is not None:
                    self._on_request()
                matches = client.check(text)
        except (LanguageToolError, OSError, ValueError) as exc:
            # The exception's text can quote the draft; only its kind is kept.
            self._client = None
            raise Unavailable(
                f"LanguageTool at {self.url} did not answer ({type(exc).__name__})"
            ) from None
        return _split(paragraphs, text, matches)

    def _connect(self, language: str) -> _Client:
        # The constructor (and the language setter) ask the server for its languages:
        # a round trip, so a client is kept per language rather than switched.
        if self._client is None or self._client_language != language:
            self._client = _Client(language, remote_server=self.url)
            self._client._TIMEOUT = self._request_timeout  # type: ignore[assignment]
            self._client_language = language
        return self._client


def _split(
    paragraphs: tuple[str, ...], text: str, matches: list[Match]
) -> list[tuple[GrammarMatch, ...]]:
    """Each match back to the paragraph it falls in, in that paragraph's UTF-16 units.

    `Match.offset` arrives in code points (language-tool-python converts it) but
    `error_length` is still LanguageTool's UTF-16 count.
    """
    starts = []
    position = 0
    for paragraph in paragraphs:
        starts.append(position)
        position += len(paragraph) + len(_SEPARATOR)
    per: list[list[GrammarMatch]] = [[] for _ in paragraphs]
    index = 0
    for m in sorted(matches, key=lambda m: m.offset):
        while index + 1 < len(starts) and starts[index + 1] <= m.offset:
            index += 1
        paragraph = paragraphs[index]
        local = m.offset - starts[index]
        start16 = utf16_len(paragraph[:local])
        if local > len(paragraph) or start16 + m.error_length > utf16_len(paragraph):
            continue  # runs across the paragraph break: belongs to neither alone
        per[index].append(
            GrammarMatch(
                rule_id=m.rule_id,
                issue_type=m.rule_issue_type,
                category=m.category,
                message=m.message,
                replacements=tuple(m.replacements),
                start=start16,
                length=m.error_length,
            )
        )
    return [tuple(p) for p in per]


_NOT_CONFIGURED = (
    "grammar is off: no LanguageTool server; set INTRO_COACH_LANGUAGETOOL_URL, or run "
    "'bash .ci/languagetool' (Java 17+ and LanguageTool's jars) and 'make run'"
)


class GrammarBackend:
    """What the service runs grammar on: an existing server (INTRO_COACH_LANGUAGETOOL_URL),
    a supervised local one started from the assembled jars, or nothing, with the reason."""

    def __init__(
        self,
        checker: LanguageToolChecker | None,
        process: LanguageToolProcess | None = None,
        off_reason: str = "",
    ) -> None:
        self.checker = checker
        self.process = process
        self.off_reason = off_reason
        self.deadline_seconds = 1.5
        # Said at start-up only when grammar was asked for and could not be had; with
        # nothing configured, `make run` has already said why in one line.
        self.announce = False

    @classmethod
    def from_settings(cls, settings: Settings) -> GrammarBackend:
        backend = cls._for(settings)
        backend.deadline_seconds = settings.grammar_deadline_seconds
        return backend

    @classmethod
    def _for(cls, settings: Settings) -> GrammarBackend:
        if settings.languagetool_url:
            return cls(LanguageToolChecker(settings.languagetool_url))
        jars = settings.languagetool_jars
        if jars is None:
            return cls(None, off_reason=_NOT_CONFIGURED)
        reason = why_not_local(jars)
        if reason is not None:
            backend = cls(None, off_reason=reason)
            backend.announce = True
            return backend
        process = LanguageToolProcess(jars, heap=settings.languagetool_heap)
        return cls(LanguageToolChecker(process.url), process)

    def analyze(
        self,
        request: AnalyzeRequest,
        context: Context | None = None,
        deadline_seconds: float | None = None,
    ) -> GrammarResponse:
        """The grammar findings for a draft (blocking, at most until the deadline)."""
        starting = self.not_ready() if request.options.grammar else None
        if starting is not None:
            return GrammarResponse(
                findings=[], checks=Checks(grammar="unavailable", notes=[f"grammar: {starting}"])
            )
        return analyze_grammar(
            request,
            self.checker,
            deadline_seconds=deadline_seconds or self.deadline_seconds,
            context=context,
            off_reason=self.off_reason,
        )

    def start(self) -> None:
        if self.process is not None:
            self.process.start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
        if self.checker is not None:
            self.checker.close()

    def not_ready(self) -> str | None:
        """Why a check now would fail for sure: the local server is still starting."""
        if self.process is not None and self.process.state != "ready":
            return "LanguageTool is starting (this takes about half a minute)"
        return None
