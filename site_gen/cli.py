"""The command line: the one place that turns errors into messages and exit codes.

site-gen import | build | serve | check | new. Every command has --help; docs/commands.md lists them all.
Output: summaries on stdout, progress and problems on stderr, one error format (`path:line:col: message`).
A user mistake is a message and exit 1; only a bug shows a traceback, and only with --debug.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import traceback
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from site_gen import __version__
from site_gen.build import BuildOptions, BuildReport, build, site_data_dir
from site_gen.check import MANUAL_SEED_PREFIX, CheckReport, check_content, check_site, site_url_of
from site_gen.config import SiteConfig, load_config
from site_gen.content import FENCE, format_article, read_article
from site_gen.article import Article
from site_gen.diagnostics import Diagnostic, SiteGenError, display_path
from site_gen.importer import ImportReport, import_seeds
from site_gen.progress import ProgressHook, close_progress, make_progress, print_table

DEFAULT_CONFIG = Path("site.yml")


def _add_paths(parser: argparse.ArgumentParser, seeds: bool = True) -> None:
    if seeds:
        parser.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="raw archive folder (default: seeds/)")
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder (default: content/)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="site config (default: site.yml if present, else built-in defaults)")


def _output_flags(default: object) -> argparse.ArgumentParser:
    """--quiet/--verbose/--debug, accepted before or after the command (`site-gen -q build`, `site-gen build -q`).

    The command's copy uses `argparse.SUPPRESS` as default, so a flag given before the command is not reset.
    """
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", default=default,
                       help="print only problems (no progress, no summary)")
    group.add_argument("-v", "--verbose", action="store_true", default=default,
                       help="print every stage, every file kept and its time")
    parent.add_argument("--debug", action="store_true", default=default,
                        help="show tracebacks for unexpected errors")
    return parent


def make_parser() -> argparse.ArgumentParser:
    flags = _output_flags(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="site-gen", parents=[_output_flags(False)],
                                     description="Static site generator for the Shanxi development-zone news archive.")
    parser.add_argument("--version", action="version", version=f"site-gen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_import = commands.add_parser("import", parents=[flags], help="turn raw seeds into content/*.md",
                                   description="Import raw seeds (seeds/) into front-matter Markdown (content/). "
                                               "Unchanged seeds and hand-edited content files are left alone.")
    _add_paths(p_import)
    p_import.add_argument("--strict", action="store_true", help="exit non-zero if any seed is skipped")

    p_build = commands.add_parser("build", parents=[flags], help="import, then render the site and its search index",
                                  description="Import new or changed seeds, render the site into public/ and index it with Pagefind.")
    _add_paths(p_build)
    p_build.add_argument("--out", type=Path, default=Path("public"), metavar="DIR", help="output folder (default: public/)")
    p_build.add_argument("--base-url", default=None, metavar="URL", help="absolute URL the site is served at, may carry a subpath")
    p_build.add_argument("--no-import", action="store_true", help="build from content/ only")
    p_build.add_argument("--drafts", action="store_true", help="include articles marked `draft: true`")
    p_build.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster previews)")
    p_build.add_argument("--no-cache", action="store_true",
                         help="neither read nor write the build cache (.site-gen-cache/ and .public.spare/): "
                              "for a one-off build, as in CI, that leaves nothing for a next build to reuse")
    p_build.add_argument("--strict", action="store_true", help="exit non-zero if any seed is skipped")

    p_serve = commands.add_parser("serve", parents=[flags], help="preview the site locally, rebuilding on every change",
                                  description="Build the site, serve it on 127.0.0.1 under its base path, watch seeds/, "
                                              "content/, themes/ and the config, rebuild on change and reload the open page.")
    _add_paths(p_serve)
    p_serve.add_argument("--out", type=Path, default=Path("public"), metavar="DIR", help="output folder (default: public/)")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p_serve.add_argument("--drafts", action="store_true", help="include articles marked `draft: true`")
    p_serve.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster rebuilds)")

    p_check = commands.add_parser("check", parents=[flags], help="validate content, then links, anchors, feeds and sitemap of the built site",
                                  description="Validate every content file against the content contract, then check the "
                                              "built site: internal links and anchors, orphan pages, feeds and the sitemap. "
                                              "Exits 1 if anything is wrong.")
    _add_paths(p_check)
    p_check.add_argument("--out", type=Path, default=Path("public"), metavar="DIR", help="built site to check (default: public/)")
    p_check.add_argument("--base-url", default=None, metavar="URL",
                         help="URL the site was built for (default: read from the built home page)")
    p_check.add_argument("--content-only", action="store_true", help="check content/ only, not the built site")

    p_new = commands.add_parser("new", parents=[flags], help="start a hand-written article in content/",
                                description="Create content/<slug>.md with valid front matter (title, date now, "
                                            "slug from the title's pinyin, seed: manual/<slug>), ready to edit.")
    p_new.add_argument("title", help="the headline, e.g. \"太原经开区新项目开工\"")
    _add_paths(p_new, seeds=False)
    p_new.add_argument("--slug", default=None, help="URL slug (default: pinyin of the title)")
    p_new.add_argument("--draft", action="store_true", help="mark it `draft: true` (left out of builds without --drafts)")
    return parser


def _config_path(args: argparse.Namespace) -> Path | None:
    if args.config is not None:
        return args.config
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


# --- reports ---------------------------------------------------------------------------------------------

def print_import_report(report: ImportReport, args: argparse.Namespace) -> None:
    total = len(report.outcomes)
    if not args.quiet:
        print(f"seeds read: {total}; articles written: {report.count('written')}, unchanged: {report.count('unchanged')}, "
              f"kept (hand-edited): {report.count('kept')}; skipped: {len(report.skipped)}")
        for outcome in report.outcomes:
            if outcome.status == "kept" or (args.verbose and outcome.status == "written"):
                print(f"  {outcome.status} {outcome.content}" + (f": {outcome.reason}" if outcome.reason else ""))
    # Skipped seeds are problems: they are listed even with --quiet (on stdout, next to the count they explain).
    for outcome in report.skipped:
        print(f"  {outcome.status} {outcome.seed}: {outcome.reason}")
    if report.warnings:
        print(f"import warnings: {len(report.warnings)}")
        for warning in report.warnings:
            print(f"  {warning.format()}")
    if report.zone_candidates and not args.quiet:
        shown = report.zone_candidates if args.verbose else report.zone_candidates[:20]
        names = ", ".join(f"{name} ({n})" for name, n in shown)
        print(f"zone candidates not in the gazetteer: {len(report.zone_candidates)}: {names}")


STAGE_ITEMS = {"import": "seeds", "load": "articles", "render": "pages", "write": "files"}


def print_build_report(report: BuildReport, args: argparse.Namespace) -> None:
    if report.import_report is not None:
        print_import_report(report.import_report, args)
    if args.quiet:
        return
    print(f"articles: {report.articles} (drafts left out: {report.drafts_skipped}); pages rendered: {report.pages}; "
          f"bytes written: {report.bytes_written:,}")
    counts = {"import": len(report.import_report.outcomes) if report.import_report else 0,
              "load": report.articles + report.drafts_skipped, "render": report.pages, "write": report.pages}
    rows = [(name, f"{counts[name]:,} {STAGE_ITEMS[name]}" if name in counts else "", f"{seconds:.2f}s")
            for name, seconds in report.timings]
    rows.append(("total", "", f"{sum(s for _, s in report.timings):.2f}s"))
    print_table(rows, ("stage", "items", "time"), title="time per stage:")


def print_check_report(report: CheckReport, args: argparse.Namespace) -> None:
    if args.quiet:
        return
    checked = ", ".join(f"{n:,} {what}" for what, n in report.counts.items())
    print(f"checked: {checked}")


def print_problems(problems: list[Diagnostic], what: str) -> None:
    for diagnostic in problems:
        print(diagnostic.format(), file=sys.stderr)
    print(f"{len(problems)} problem(s) {what}", file=sys.stderr)


# --- commands --------------------------------------------------------------------------------------------

def cmd_import(args: argparse.Namespace, config: SiteConfig, progress: ProgressHook) -> int:
    progress.start("import")
    started = time.perf_counter()
    try:
        report = import_seeds(args.seeds, args.content, site_data_dir(config), progress=progress.update)
    finally:
        progress.finish("import", time.perf_counter() - started)
        close_progress(progress)
    print_import_report(report, args)
    return 1 if args.strict and report.skipped else 0


def cmd_build(args: argparse.Namespace, config: SiteConfig, progress: ProgressHook) -> int:
    try:
        report = build(BuildOptions(config=config, seeds_dir=args.seeds, content_dir=args.content, out_dir=args.out,
                                    run_import=not args.no_import, drafts=args.drafts, search=not args.no_search,
                                    cache=not args.no_cache, progress=progress))
    finally:
        close_progress(progress)
    print_build_report(report, args)
    skipped = report.import_report.skipped if report.import_report else ()
    return 1 if args.strict and skipped else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from site_gen.serve import ServeSettings, serve

    settings = ServeSettings(config_path=_config_path(args), seeds_dir=args.seeds, content_dir=args.content,
                             out_dir=args.out, host=args.host, port=args.port, search=not args.no_search,
                             drafts=args.drafts)
    try:
        serve(settings, on_report=(lambda r: print_build_report(r, args)) if args.verbose else None)
    except OSError as exc:
        raise SiteGenError(Diagnostic(f"{args.host}:{args.port}", f"cannot listen: {exc.strerror or exc}",
                                      hint="is another server running there? try --port 0 for a free port")) from None
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace, config: SiteConfig) -> int:
    content = check_content(args.content, args.seeds)
    if content.problems:
        # The site is built from the content: with broken content its pages say little; report content first.
        print_problems(content.problems, f"in {content.counts['content files']} content file(s)")
        return 1
    report = CheckReport(counts=dict(content.counts))
    if not args.content_only:
        site_url = args.base_url or site_url_of(args.out) or config.site_url
        if args.verbose:
            print(f"checking {display_path(args.out)}/ as built for {site_url}")
        site = check_site(args.out, site_url)
        report.problems += site.problems
        report.counts.update(site.counts)
    print_check_report(report, args)
    if report.problems:
        print_problems(report.problems, "in the built site")
        return 1
    return 0


def cmd_new(args: argparse.Namespace, config: SiteConfig) -> int:
    from site_gen.importer.slugs import slugify, unique_slug

    title = " ".join(args.title.split())
    if not title:
        raise SiteGenError(Diagnostic("new", "the title is empty", hint='site-gen new "标题"'))
    now = dt.datetime.now(ZoneInfo(config.timezone)).replace(microsecond=0)
    args.content.mkdir(parents=True, exist_ok=True)
    taken = {p.stem for p in args.content.glob("*.md")}
    if args.slug:
        slug = args.slug
        if slug in taken:
            raise SiteGenError(Diagnostic(display_path(args.content / f"{slug}.md"), "already exists; not overwritten",
                                          hint="choose another --slug"))
    else:
        slug = unique_slug(slugify(title), taken, now.date().isoformat(), MANUAL_SEED_PREFIX + title)
    article = Article(title=title, seed=MANUAL_SEED_PREFIX + slug, date=now.isoformat(), slug=slug, draft=args.draft,
                      body="<!-- 在这里写正文（Markdown）。小标题用 `## `。这行注释不会出现在网页上。 -->")
    path = args.content / f"{slug}.md"
    text = format_article(article)
    assert text.startswith(FENCE)
    path.write_text(text, encoding="utf-8", newline="\n")
    written, problems = read_article(path)
    if problems or written is None:  # e.g. an invalid --slug: report it and leave no broken file behind
        path.unlink()
        raise SiteGenError(problems or Diagnostic(display_path(path), "could not be read back"))
    if not args.quiet:
        print(f"created {display_path(path)}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return cmd_serve(args)
    config = load_config(_config_path(args), getattr(args, "base_url", None))
    progress = make_progress(quiet=args.quiet, verbose=args.verbose)
    if args.command == "import":
        return cmd_import(args, config, progress)
    if args.command == "build":
        return cmd_build(args, config, progress)
    if args.command == "check":
        return cmd_check(args, config)
    if args.command == "new":
        return cmd_new(args, config)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return run(args)
    except SiteGenError as exc:
        what = "nothing was published" if args.command == "build" else "nothing was changed"
        print_problems(exc.diagnostics, f"found; {what}")
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a bug, not a user mistake
        if args.debug or os.environ.get("SITE_GEN_DEBUG"):
            traceback.print_exc()
        else:
            print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback, and report it)",
                  file=sys.stderr)
        return 2


def entry() -> NoReturn:
    """The `site-gen` command (and `python -m site_gen`): main(), its output flushed, then the process ends at once.
    Tearing the interpreter down would free every object the build made, one by one, for nothing: 0.3 s after a
    10k build, whose whole no-change rebuild takes 0.35 s. Every file, child process and temporary folder of a
    command is closed, waited for or removed before main returns; nothing of ours waits for exit handlers."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be shown anyway
            pass
    os._exit(code)
