"""Zone and region term pages (paginated), their index pages and zone feeds: taxonomies Pelican lacks.

Articles carry `Zones: a, b` and `Regions: c, d` metadata (written by bench/run.py).
"""

from pelican import signals
from pelican.generators import Generator
from pelican.utils import slugify

TAXONOMIES = ("zones", "regions")


def _terms(value):
    return [t.strip() for t in (value or "").split(",") if t.strip()]


class TermGenerator(Generator):
    def generate_context(self):
        articles = self.context["articles"]
        for name in TAXONOMIES:
            groups = {}
            for article in articles:
                for term in _terms(getattr(article, name, "")):
                    groups.setdefault(term, []).append(article)
            taken, terms = set(), []
            for term in sorted(groups):
                slug = base = slugify(term, regex_subs=self.settings["SLUG_REGEX_SUBSTITUTIONS"]) or "term"
                n = 2
                while slug in taken:
                    slug, n = f"{base}-{n}", n + 1
                taken.add(slug)
                terms.append({"name": term, "slug": slug, "url": f"{name}/{slug}/", "articles": groups[term]})
            self.context[name] = terms

    def generate_output(self, writer):
        term_template, index_template = self.get_template("term"), self.get_template("terms")
        for name in TAXONOMIES:
            for term in self.context[name]:
                url = term["url"]
                writer.write_file(f"{url}index.html", term_template, self.context, articles=term["articles"],
                                  dates=term["articles"], template_name="term", url=url, page_name=f"{url}index",
                                  term=term["name"], taxonomy=name, blog=True)
                if name == "zones":
                    writer.write_feed(term["articles"][:20], self.context, f"{url}feed.xml", f"{url}feed.xml",
                                      feed_title=term["name"])
            writer.write_file(f"{name}/index.html", index_template, self.context, taxonomy=name,
                              terms=sorted(self.context[name], key=lambda t: -len(t["articles"])), page_name=f"{name}/index")


def get_generators(pelican):
    return TermGenerator


def register():
    signals.get_generators.connect(get_generators)
