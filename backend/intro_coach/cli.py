"""`intro-coach`: lint drafts from the shell, or run the service.

Start-up time matters here (an editor or a hook runs this on every save), so modules
are imported where they are needed, not at the top.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intro_coach.report import Result

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
FORMAT_NAMES = ("json", "sarif", "text")
# Rules about the subject line, which a snippet without one cannot be judged on.
SUBJECT_RULES = ("missing-subject", "referrer-not-in-subject")
STDIN_NAME = "<stdin>"


def _columns() -> int:
    """The terminal's width, as shutil.get_terminal_size() finds it."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _Formatter(argparse.HelpFormatter):
    """argparse's own, without importing shutil for the terminal's width: shutil imports
    every compression module, milliseconds of each run, and argparse builds a formatter
    for every option it is given, not only for --help."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        width = _columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # subcommands' parsers are of this class too


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="intro-coach", description="Coaching for networking emails that get answered."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check",
        help="lint drafts (.eml, .txt, .json)",
        description="Lint drafts. Exit status: 0 when nothing is at warning or error, "
        "1 when something is, 2 when a file cannot be read or an option is wrong.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--format", choices=FORMAT_NAMES, default="text")
    check.add_argument(
        "--stdin",
        action="store_true",
        help="read one draft from standard input (.eml, JSON request, or text)",
    )
    check.add_argument(
        "--no-subject",
        action="store_true",
        help="the drafts are snippets whose subject is unknown: skip the subject rules "
        "(a .txt without a 'Subject:' first line is read this way anyway)",
    )
    check.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="RULE",
        help="turn a rule off (repeatable), e.g. --disable no-thanks",
    )
    who = check.add_mutually_exclusive_group()
    who.add_argument("--referrer", metavar="NAME", help="who referred you, e.g. 'Sally Smith'")
    who.add_argument(
        "--no-referrer",
        dest="referrer",
        action="store_const",
        const="",
        help="nobody referred you: don't take anyone named in the draft for a referrer",
    )
    check.add_argument(
        "--grammar",
        action="store_true",
        help="add grammar and spelling from LanguageTool (INTRO_COACH_LANGUAGETOOL_URL, "
        "or a local server started from the jars .ci/languagetool assembles)",
    )
    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default=None, help="default: INTRO_COACH_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: INTRO_COACH_PORT or 8000")
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes; default: INTRO_COACH_WORKERS or 1",
    )
    commands.add_parser(
        "migrate",
        help="bring the database schema up to date, then exit",
        description="Bring the database schema up to date (run once per release, before "
        "starting instances with INTRO_COACH_MIGRATE_ON_START=0). Safe to run concurrently.",
    )
    addon = commands.add_parser("addon", help="the Gmail add-on")
    addon_commands = addon.add_subparsers(dest="addon_command", required=True)
    deployment = addon_commands.add_parser(
        "deployment",
        help="print the deployment descriptor (deployment.json)",
        description="Print the deployment descriptor for "
        "`gcloud workspace-add-ons deployments create NAME --deployment-file=deployment.json`.",
    )
    deployment.add_argument(
        "--url", required=True, help="the service's public HTTPS URL (INTRO_COACH_PUBLIC_URL)"
    )
    return parser


def _known_rules() -> set[str]:
    from intro_coach.rules.pack import default_pack

    pack = default_pack()
    return {rule.id for rule in pack.rules} | {text.rule for text in pack.checks.values()}


def check(
    paths: Sequence[str | os.PathLike[str]],
    fmt: str,
    *,
    stdin: bool = False,
    no_subject: bool = False,
    disable: Sequence[str] = (),
    referrer: str | None = None,
    grammar: bool = False,
) -> int:
    import gc

    # Loading makes tens of thousands of objects that live as long as the process: the
    # collector would walk them over and over (several milliseconds of each run).
    # Frozen once loaded, it never walks them again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from intro_coach.rules import pack_cache

        pack_cache.prime()  # before the modules whose patterns its cache holds are imported
        from intro_coach.analyzer import analyze
        from intro_coach.emails import UnreadableDraft, read_bytes, read_path
        from intro_coach.report import FORMATS, Result
        from intro_coach.rules.pack import default_pack

        default_pack()  # loaded (and the cache written) before any draft is read
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
    unknown = [r for r in disable if r not in _known_rules() and not r.startswith("grammar:")]
    if unknown:
        print(f"intro-coach: unknown rule {unknown[0]!r} in --disable", file=sys.stderr)
        return EXIT_UNREADABLE
    results = []
    sources: list[tuple[str, str | os.PathLike[str] | None]] = [(str(p), p) for p in paths]
    if stdin:
        sources.append((STDIN_NAME, None))
    for name, path in sources:
        try:
            loaded = read_bytes(sys.stdin.buffer.read()) if path is None else read_path(path)
        except UnreadableDraft as exc:
            print(f"intro-coach: {name}: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
        request = loaded.request
        off = [*request.options.disabled_rules, *disable]
        if no_subject or not loaded.subject_known:
            off += SUBJECT_RULES
        options = request.options.model_copy(update={"disabled_rules": off})
        update: dict[str, object] = {"options": options}
        if referrer is not None:  # "" is --no-referrer: the API's "nobody referred me"
            update["referrer"] = referrer
        request = request.model_copy(update=update)
        results.append(Result(name, request, analyze(request)))
    if grammar:
        results = _with_grammar(results)
    output = FORMATS[fmt](results)
    serious = any(f.severity in ("error", "warning") for r in results for f in r.response.findings)
    status = EXIT_FINDINGS if serious else EXIT_CLEAN
    if output:
        _print(output)
    return status


# The linter is not typing: LanguageTool gets as long as a whole file needs.
CLI_GRAMMAR_DEADLINE_SECONDS = 60.0


def _with_grammar(results: list[Result]) -> list[Result]:
    from intro_coach.analyzer import with_grammar
    from intro_coach.config import Settings
    from intro_coach.languagetool import GrammarBackend
    from intro_coach.report import Result

    backend = GrammarBackend.from_settings(Settings.from_env())
    if backend.process is not None:
        print("intro-coach: starting LanguageTool (about half a minute)", file=sys.stderr)
    backend.start()
    try:
        if backend.process is not None and not backend.process.wait_ready(300):
            print("intro-coach: LanguageTool did not start", file=sys.stderr)
        merged = []
        for result in results:
            found = backend.analyze(result.request, deadline_seconds=CLI_GRAMMAR_DEADLINE_SECONDS)
            merged.append(Result(result.file, result.request, with_grammar(result.response, found)))
        for note in sorted({n for r in merged for n in r.response.checks.notes if "grammar" in n}):
            print(f"intro-coach: {note}", file=sys.stderr)
        return merged
    finally:
        backend.stop()


def _print(output: str) -> None:
    """Print, and end quietly when the reader has gone (`intro-coach check ... | head`)."""
    try:
        print(output)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the failed flush again at exit; point stdout at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def serve(host: str | None, port: int | None, log_level: str, workers: int | None = None) -> int:
    import logging

    from intro_coach import server
    from intro_coach.config import Settings

    # The grammar server's start, restarts and "grammar is off" line go to the terminal.
    ours = logging.getLogger("intro_coach")
    if not ours.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        ours.addHandler(handler)
        ours.setLevel(logging.INFO)

    defaults = Settings.from_env()
    server.serve(
        defaults.host if host is None else host,
        defaults.port if port is None else port,
        log_level,
        defaults.workers if workers is None else workers,
    )
    return 0


def migrate() -> int:
    """A thin call into the store, which serializes concurrent migrations itself."""
    from intro_coach.config import Settings
    from intro_coach.store import create_db_engine
    from intro_coach.store import migrate as upgrade

    settings = Settings.from_env()
    engine = create_db_engine(settings.resolved_database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    print("database schema is up to date")
    return EXIT_CLEAN


def addon_deployment(url: str) -> int:
    import json
    from urllib.parse import urlsplit

    from intro_coach.addon.deployment import descriptor

    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        print(
            "intro-coach: --url must be the public https:// URL Google can reach, "
            "without a query (e.g. https://coach.example.org)",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    print(json.dumps(descriptor(url), indent=2))
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "addon":
        return addon_deployment(args.url)
    if args.command == "check":
        if not args.paths and not args.stdin:
            parser.error("check: give at least one PATH, or --stdin")
        return check(
            args.paths,
            args.format,
            stdin=args.stdin,
            no_subject=args.no_subject,
            disable=args.disable,
            referrer=args.referrer,
            grammar=args.grammar,
        )
    if args.command == "migrate":
        return migrate()
    return serve(args.host, args.port, args.log_level, args.workers)
