"""Where the service's analyses run by default: processes of their own, beside the one
that serves HTTP.

In the server's own process, an analysis thread and the event loop take turns with one
GIL: under typing load each interrupts the other (and finds the processor's caches
cold), and a 100 KB draft slows every other request while it runs. A child process
analyses on another core while the event loop reads and answers requests, and one that
stops answering can be killed and replaced, which a thread cannot.

The first process takes ordinary drafts, the others requests of `LARGE_BYTES` and more,
so a burst of large drafts never queues ahead of someone typing. Each reads requests
from its stdin and writes answers to its stdout: frames of a header and a payload. The
server writes everything submitted in one turn of its event loop at once and reads
answers as they come, with no thread of its own. A child gets no secret (see `_ENV`)
and logs nothing; it answers:
- BODY: the request body as sent; it reads it (draft_json) and answers the analysis or
  the refusal, so the server parses nothing;
- PICKLED: a draft the server read, with what it knows besides (Gmail context);
- METRICS: the analyzer's stage timings and cache lookups since it last answered one,
  which the server adds to its own metrics when /metrics is read.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import Any

from intro_coach import timing
from intro_coach.lanes import LARGE_BYTES
from intro_coach.schema import AnalyzeRequest

log = logging.getLogger("intro_coach")

BODY, PICKLED, METRICS = 0, 1, 2
_REQUEST = struct.Struct("<BII")  # kind, id, payload length
_ANSWER = struct.Struct("<IHI")  # id, status, payload length
# Environment variables a child keeps: where Python and the pack's start-up cache are.
_ENV = ("PATH", "HOME", "XDG_CACHE_HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "VIRTUAL_ENV")
# Shortest wait, whatever the budget, before a child that gives no answer is replaced.
MIN_HANG_SECONDS = 5.0
# After a child could not start, or ended before its first answer, requests get 503s
# for this long instead of starting another at once.
RESTART_PAUSE_SECONDS = 1.0


class Unavailable(Exception):
    """The analysis process stopped before answering (it crashed, or hung and was
    replaced): the client may try again."""


class Failed(Exception):
    """The analysis raised `kind` (the exception's type name, nothing of its message)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class AnalysisProcess:
    """One child process and the requests it has yet to answer, on one event loop."""

    def __init__(self, name: str, budget_seconds: float) -> None:
        self.name = name
        self.budget_seconds = budget_seconds
        # An analysis stops at its budget; a child that answers nothing for this long
        # while work waits is stuck, and is killed.
        self.hang_seconds = max(MIN_HANG_SECONDS, 10 * budget_seconds)
        self._process: subprocess.Popen[bytes] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: dict[int, asyncio.Future[tuple[int, bytes]]] = {}
        self._next_id = 0
        self._outgoing = bytearray()
        self._flushing = False  # a write is scheduled, or waits for the pipe
        self._incoming = bytearray()
        self._progress = 0.0  # loop time of the last answer, or of work arriving
        self._answered = False  # has this child answered anything yet
        # A child that ended before answering anything (it cannot start) is not started
        # again on every request: not before this loop time.
        self._no_start_before = 0.0
        self._watchdog: asyncio.TimerHandle | None = None

    @property
    def queued(self) -> int:
        return len(self._pending)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Starts the child now (else the first request does), on the running loop."""
        loop = asyncio.get_running_loop()
        if self._process is not None and self._loop is loop:
            return
        self._stop("replaced")
        if loop.time() < self._no_start_before:
            raise Unavailable("the analysis process is starting again")
        env = {k: v for k, v in os.environ.items() if k in _ENV or k.startswith("PYTHON")}
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "intro_coach.workers", repr(self.budget_seconds)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                bufsize=0,
            )
        except OSError as exc:  # out of processes, memory or file descriptors
            self._no_start_before = loop.time() + RESTART_PAUSE_SECONDS
            raise Unavailable(f"the analysis process could not start ({exc.strerror})") from None
        self._answered = False
        assert process.stdin is not None and process.stdout is not None
        os.set_blocking(process.stdin.fileno(), False)
        os.set_blocking(process.stdout.fileno(), False)
        loop.add_reader(process.stdout.fileno(), self._readable)
        self._process, self._loop = process, loop

    def submit(self, kind: int, payload: bytes) -> asyncio.Future[tuple[int, bytes]]:
        """The child's (status, answer) for `payload`; Unavailable if it stops first."""
        self.start()
        loop = self._loop
        assert loop is not None
        self._next_id = (self._next_id + 1) & 0xFFFFFFFF
        future: asyncio.Future[tuple[int, bytes]] = loop.create_future()
        if not self._pending:
            self._progress = loop.time()
        self._pending[self._next_id] = future
        self._outgoing += _REQUEST.pack(kind, self._next_id, len(payload))
        self._outgoing += payload
        if not self._flushing:
            self._flushing = True
            loop.call_soon(self._flush)  # whatever else this turn submits goes along
        if self._watchdog is None:
            self._watchdog = loop.call_later(self.hang_seconds, self._check_progress)
        return future

    def _flush(self) -> None:
        process, loop = self._process, self._loop
        if process is None or loop is None or process.stdin is None:
            return
        fd = process.stdin.fileno()
        try:
            written = os.write(fd, self._outgoing)
        except BlockingIOError:
            written = 0
        except OSError:  # the child is gone; its stdout's end says so to _readable
            written = len(self._outgoing)
        del self._outgoing[:written]
        if self._outgoing:
            loop.add_writer(fd, self._flush)
        else:
            loop.remove_writer(fd)
            self._flushing = False

    def _readable(self) -> None:
        process, loop = self._process, self._loop
        if process is None or loop is None or process.stdout is None:
            return
        try:
            chunk = os.read(process.stdout.fileno(), 1 << 18)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._stop("stopped")
            return
        incoming = self._incoming
        incoming += chunk
        start = 0
        while len(incoming) - start >= _ANSWER.size:
            rid, status, size = _ANSWER.unpack_from(incoming, start)
            end = start + _ANSWER.size + size
            if len(incoming) < end:
                break
            future = self._pending.pop(rid, None)
            if future is not None and not future.done():
                future.set_result((status, bytes(incoming[start + _ANSWER.size : end])))
            start = end
        del incoming[:start]
        self._progress = loop.time()
        self._answered = True

    def _check_progress(self) -> None:
        self._watchdog = None
        loop = self._loop
        if not self._pending or loop is None:
            return
        quiet = loop.time() - self._progress
        if quiet >= self.hang_seconds:
            self._stop(f"answered nothing for {self.hang_seconds:g} s and was replaced")
        else:
            self._watchdog = loop.call_later(self.hang_seconds - quiet, self._check_progress)

    def _stop(self, why: str) -> None:
        """Ends the child (if any) and fails what it had yet to answer."""
        process, loop, pending = self._process, self._loop, self._pending
        self._process, self._loop, self._pending = None, None, {}
        self._outgoing.clear()
        self._incoming.clear()
        self._flushing = False
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        if process is None:
            return
        self._unwatch(process, loop)
        if process.poll() is None:
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        if why == "stopped":
            why = f"stopped (exit status {process.returncode})"
            if not self._answered and loop is not None and not loop.is_closed():
                self._no_start_before = loop.time() + RESTART_PAUSE_SECONDS
        if why != "closed":
            log.warning(
                "analysis process %s %s (unanswered requests: %d); the next request starts another",
                self.name,
                why,
                len(pending),
            )
        for future in pending.values():
            # A future of a loop that has closed (an app moved to another) has nobody
            # waiting, and would raise RuntimeError.
            if not future.done() and not future.get_loop().is_closed():
                future.set_exception(Unavailable(f"the analysis process {why}"))

    @staticmethod
    def _unwatch(process: subprocess.Popen[bytes], loop: asyncio.AbstractEventLoop | None) -> None:
        if loop is None or loop.is_closed():
            return
        for stream, remove in (
            (process.stdout, loop.remove_reader),
            (process.stdin, loop.remove_writer),
        ):
            if stream is not None and not stream.closed:
                remove(stream.fileno())

    def close(self) -> None:
        """Lets the child finish and end (it stops at the end of its input), then makes
        sure it has."""
        process = self._process
        if process is not None and process.stdin is not None:
            self._unwatch(process, self._loop)
            with contextlib.suppress(OSError):
                os.set_blocking(process.stdin.fileno(), True)
                process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=2)
        self._stop("closed")


class AnalysisProcesses:
    """`count` children: the first for ordinary drafts, the others for large ones (one
    serves both when `count` is 1)."""

    def __init__(self, count: int, budget_seconds: float) -> None:
        self.processes = [
            AnalysisProcess(f"analyze-{i}", budget_seconds) for i in range(max(1, count))
        ]

    def _for(self, size: int) -> AnalysisProcess:
        processes = self.processes
        if size >= LARGE_BYTES and len(processes) > 1:
            return min(processes[1:], key=lambda process: process.queued)
        return processes[0]

    async def body(self, body: bytes) -> tuple[int, bytes]:
        """(200, the analysis) for a request body, or (4xx, the refusal); Unavailable,
        Failed."""
        status, answer = await self._for(len(body)).submit(BODY, body)
        return _checked(status, answer)

    async def draft(self, draft: AnalyzeRequest, size: int, **known: Any) -> bytes:
        """The analysis of a draft already read, with what is known besides (Gmail)."""
        payload = pickle.dumps((draft, known), protocol=pickle.HIGHEST_PROTOCOL)
        _, answer = _checked(*await self._for(size).submit(PICKLED, payload))
        return answer

    def start(self) -> None:
        for process in self.processes:
            process.start()

    def close(self) -> None:
        for process in self.processes:
            process.close()

    async def tallies(self, absorb: Callable[[dict[str, Any]], None], timeout: float = 1.0) -> None:
        """Hands each running child's stage timings and cache lookups since it last gave
        them to `absorb`; waits `timeout` at most (a child busy longer hands them over
        when it answers, in time for the next scrape)."""

        def taken(future: asyncio.Future[tuple[int, bytes]]) -> None:
            if not future.cancelled() and future.exception() is None:
                status, answer = future.result()
                if status == 200:
                    absorb(json.loads(answer))

        futures = []
        for process in self.processes:
            if process.pid is not None:
                with contextlib.suppress(Unavailable):
                    futures.append(process.submit(METRICS, b""))
        for future in futures:
            future.add_done_callback(taken)
        if futures:
            await asyncio.wait(futures, timeout=timeout)


def _checked(status: int, answer: bytes) -> tuple[int, bytes]:
    if status == 500:
        raise Failed(answer.decode("ascii", "replace"))
    return status, answer


# ---- The child -------------------------------------------------------------------


class Tally:
    """The analyzer's stage timings (as histogram buckets) and cache lookups, kept in
    the child between two METRICS requests."""

    def __init__(self) -> None:
        self.stages: dict[str, list[float]] = {}  # bucket counts, then their sum
        self.caches: dict[tuple[str, bool], int] = {}

    def stage(self, stage: str, seconds: float) -> None:
        counts = self.stages.get(stage)
        if counts is None:
            counts = self.stages[stage] = [0.0] * (len(timing.STAGE_BUCKETS) + 2)
        counts[bisect.bisect_left(timing.STAGE_BUCKETS, seconds)] += 1
        counts[-1] += seconds

    def cache(self, name: str, hit: bool, count: int = 1) -> None:
        self.caches[name, hit] = self.caches.get((name, hit), 0) + count

    def take(self) -> bytes:
        data = {
            "stages": self.stages,
            "caches": [[name, hit, n] for (name, hit), n in self.caches.items()],
        }
        self.stages, self.caches = {}, {}
        return json.dumps(data).encode()


def serve(budget_seconds: float, requests: int, answers: int) -> None:
    """Answers the requests read from the file descriptor `requests` on `answers` until
    the first ends. Answers go out when no whole request waits: under load, many in one
    write."""
    import gc

    from intro_coach.analyzer import analyze, warm_up
    from intro_coach.draft_json import Refusal, read_draft

    warm_up()
    gc.freeze()  # the pack and compiled patterns live as long as the process
    # An analysis makes thousands of short-lived objects and few cycles: collecting the
    # youngest generation every 10,000 allocations instead of 700 takes 3-4% off a
    # typing request (measured in this process's loop), for a few MB at most.
    gc.set_threshold(10_000, 10, 10)
    tally = Tally()  # counting from here: warming up is no request
    timing.listen(tally.stage)
    timing.listen_caches(tally.cache)

    def handle(kind: int, payload: bytes) -> tuple[int, bytes]:
        if kind == METRICS:
            return 200, tally.take()
        known: dict[str, Any] = {}
        if kind == PICKLED:
            draft, known = pickle.loads(payload)
        else:
            draft = read_draft(payload)
            if isinstance(draft, Refusal):
                return draft.status, draft.body()
        return 200, analyze(draft, budget_seconds=budget_seconds, **known).json_bytes()

    incoming = bytearray()
    outgoing = bytearray()
    head = _REQUEST.size
    while True:
        if len(incoming) >= head:
            kind, rid, size = _REQUEST.unpack_from(incoming)
            if len(incoming) >= head + size:
                payload = bytes(incoming[head : head + size])
                del incoming[: head + size]
                try:
                    status, answer = handle(kind, payload)
                except Exception as exc:  # its message may quote the draft: the type only
                    status, answer = 500, type(exc).__name__.encode()
                outgoing += _ANSWER.pack(rid, status, len(answer))
                outgoing += answer
                continue
        while outgoing:  # about to wait for more: send what is ready first
            del outgoing[: os.write(answers, outgoing)]
        chunk = os.read(requests, 1 << 18)
        if not chunk:
            return
        incoming += chunk


def main(argv: Iterable[str]) -> None:
    (budget,) = argv
    # Ctrl-C, and SIGTERM from a supervisor that signals the whole process group, would
    # end a child while the server still finishes its requests: the server ends its
    # children itself (their input ends, or SIGKILL).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # The pipes are the protocol's alone: whatever prints goes to stderr.
    requests, answers = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    with contextlib.suppress(BrokenPipeError):
        serve(float(budget), requests, answers)


if __name__ == "__main__":
    main(sys.argv[1:])
