"""Template time per template: every planned page of an archive rendered in this process, nothing written.

Input: a generated archive (bench/generate.py). Output, on stdout, per round: the CPU time of rendering all pages
and of the five costliest templates. The Markdown of every article is made once before the first round, so the
rounds time the templates alone (Jinja, the list items, the `once` blocks); each round gets a new environment,
as each build does.

    .venv/bin/python bench/templates.py /tmp/site_gen-bench/10000 --rounds 3
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, help="folder made by bench/generate.py (uses its content/)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from site_gen.config import load_config
    from site_gen.content import read_articles
    from site_gen.enrich.gazetteer import data_file, load_gazetteer
    from site_gen.enrich.regions import load_region_table
    from site_gen.model import build_model
    from site_gen.pages import markdown_to_html, plan_pages
    from site_gen.render import PageRenderer, make_environment, resolve_theme

    config = load_config(None, "https://example.github.io/site_gen/")
    articles, _problems = read_articles(args.archive / "content")
    model = build_model(articles, load_gazetteer(None), load_region_table(data_file("counties.yml", None)))
    pages, _memo = plan_pages(model, config, None, None, 2)
    html = {id(page.markdown): markdown_to_html(page.markdown) for page in pages if page.markdown is not None}
    print(f"{len(pages):,} pages of {len(articles):,} articles", flush=True)
    for number in range(args.rounds):
        renderer = PageRenderer(make_environment(resolve_theme(config), config), config, lambda md: html[id(md)])
        spent: dict[str, float] = collections.defaultdict(float)
        begun = time.process_time()
        for page in pages:
            start = time.process_time()
            renderer.render(page)
            spent[page.template] += time.process_time() - start
        costliest = sorted(spent.items(), key=lambda item: -item[1])[:5]
        print(f"round {number + 1}: {time.process_time() - begun:.2f} s CPU; "
              + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in costliest), flush=True)


if __name__ == "__main__":
    main()
