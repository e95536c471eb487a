"""`intro-coach`: lint drafts from the shell, or run the service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from intro_coach.analyzer import analyze
from intro_coach.config import Settings
from intro_coach.emails import UnreadableDraft, load_request
from intro_coach.report import FORMATS, Result

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intro-coach", description="Coaching for networking emails that get answered."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check",
        help="lint drafts (.eml, .txt, .json)",
        description="Lint drafts. Exit status: 0 when nothing is at warning or error, "
        "1 when something is, 2 when a file cannot be read.",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--format", choices=sorted(FORMATS), default="text")
    serve = commands.add_parser("serve", help="run the HTTP service")
    defaults = Settings.from_env()
    serve.add_argument("--host", default=defaults.host)
    serve.add_argument("--port", type=int, default=defaults.port)
    serve.add_argument("--log-level", default="info")
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


def check(paths: Sequence[Path], fmt: str) -> int:
    results = []
    for path in paths:
        try:
            request = load_request(path)
        except UnreadableDraft as exc:
            print(f"intro-coach: {path}: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
        results.append(Result(str(path), request, analyze(request)))
    output = FORMATS[fmt](results)
    if output:
        print(output)
    serious = any(f.severity in ("error", "warning") for r in results for f in r.response.findings)
    return EXIT_FINDINGS if serious else EXIT_CLEAN


def serve(host: str, port: int, log_level: str) -> int:
    from intro_coach import server

    server.serve(host, port, log_level)
    return 0


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
    args = _parser().parse_args(argv)
    if args.command == "addon":
        return addon_deployment(args.url)
    if args.command == "check":
        return check(args.paths, args.format)
    return serve(args.host, args.port, args.log_level)
