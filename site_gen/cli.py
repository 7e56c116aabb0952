"""The command line: the one place that turns errors into messages and exit codes.

site-gen import | build (and later serve, check, new). Every command has --help.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from site_gen import __version__
from site_gen.build import BuildOptions, BuildReport, build, site_data_dir
from site_gen.config import load_config
from site_gen.diagnostics import SiteGenError
from site_gen.importer import ImportReport, import_seeds

DEFAULT_CONFIG = Path("site.yml")


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="raw archive folder (default: seeds/)")
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder (default: content/)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="site config (default: site.yml if present, else built-in defaults)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-gen", description="Static site generator for the Shanxi development-zone news archive.")
    parser.add_argument("--version", action="version", version=f"site-gen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for unexpected errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_import = commands.add_parser("import", help="turn raw seeds into content/*.md",
                                   description="Import raw seeds (seeds/) into front-matter Markdown (content/). "
                                               "Unchanged seeds and hand-edited content files are left alone.")
    _add_paths(p_import)
    p_import.add_argument("--strict", action="store_true", help="exit non-zero if any seed is skipped")

    p_build = commands.add_parser("build", help="import, then render the site and its search index",
                                  description="Import new or changed seeds, render the site into public/ and index it with Pagefind.")
    _add_paths(p_build)
    p_build.add_argument("--out", type=Path, default=Path("public"), metavar="DIR", help="output folder (default: public/)")
    p_build.add_argument("--base-url", default=None, metavar="URL", help="absolute URL the site is served at, may carry a subpath")
    p_build.add_argument("--no-import", action="store_true", help="build from content/ only")
    p_build.add_argument("--drafts", action="store_true", help="include articles marked `draft: true`")
    p_build.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster previews)")
    p_build.add_argument("--strict", action="store_true", help="exit non-zero if any seed is skipped")
    return parser


def _config_path(args: argparse.Namespace) -> Path | None:
    if args.config is not None:
        return args.config
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def print_import_report(report: ImportReport) -> None:
    total = len(report.outcomes)
    print(f"seeds read: {total}; articles written: {report.count('written')}, unchanged: {report.count('unchanged')}, "
          f"kept (hand-edited): {report.count('kept')}; skipped: {len(report.skipped)}")
    for outcome in report.outcomes:
        if outcome.status == "kept":
            print(f"  kept {outcome.content}: {outcome.reason}")
    for outcome in report.skipped:
        print(f"  skipped {outcome.seed}: {outcome.reason}")
    if report.zone_candidates:
        names = ", ".join(f"{name} ({n})" for name, n in report.zone_candidates[:20])
        print(f"zone candidates not in the gazetteer: {len(report.zone_candidates)}: {names}")


def print_build_report(report: BuildReport) -> None:
    if report.import_report is not None:
        print_import_report(report.import_report)
    print(f"articles: {report.articles} (drafts left out: {report.drafts_skipped}); pages rendered: {report.pages}; "
          f"bytes written: {report.bytes_written:,}")
    print("time per stage: " + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in report.timings)
          + f"; total {sum(s for _, s in report.timings):.2f}s")


def run(args: argparse.Namespace) -> int:
    config = load_config(_config_path(args), getattr(args, "base_url", None))
    if args.command == "import":
        report = import_seeds(args.seeds, args.content, site_data_dir(config))
        print_import_report(report)
        return 1 if args.strict and report.skipped else 0
    if args.command == "build":
        build_report = build(BuildOptions(config=config, seeds_dir=args.seeds, content_dir=args.content, out_dir=args.out,
                                          run_import=not args.no_import, drafts=args.drafts, search=not args.no_search))
        print_build_report(build_report)
        skipped = build_report.import_report.skipped if build_report.import_report else ()
        return 1 if args.strict and skipped else 0
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return run(args)
    except SiteGenError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(f"{len(exc.diagnostics)} error(s); nothing was published", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, not a user mistake
        if args.debug:
            traceback.print_exc()
        else:
            print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback, and report it)",
                  file=sys.stderr)
        return 2
