"""Pelican side of the benchmark: the same page set as site_gen, templates as plain as ours.

bench/run.py converts the generated content/ into Pelican's Markdown metadata format (PATH below is
given on the command line) and runs `pelican -s bench/peers/pelican/pelicanconf.py`.
Zones and regions are not Pelican taxonomies: the small `terms` plugin renders their pages and zone feeds.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
SITENAME = "山西开发区新闻档案"
SITEURL = "https://example.github.io/site_gen"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE = (2000, 1, 1)  # undated Traditional mirrors; Pelican requires a date
THEME = os.path.join(HERE, "theme")
PLUGIN_PATHS = [os.path.join(HERE, "plugins")]
PLUGINS = ["terms"]
LOAD_CONTENT_CACHE = False  # cold builds; run.py turns the cache on for the rebuild figures via -e
CACHE_PATH = os.environ.get("PELICAN_CACHE", "/tmp/pelican-cache")
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_SOURCES = False
STATIC_PATHS = []

MARKDOWN = {"extension_configs": {"markdown.extensions.tables": {}, "markdown.extensions.sane_lists": {},
                                  "markdown.extensions.smarty": {}}, "output_format": "html5"}

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = "categories/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = PAGE_SAVE_AS = DRAFT_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "sitemap"]
SITEMAP_SAVE_AS = "sitemap.xml"

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "term": None}
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"), (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))

FEED_ALL_ATOM = "feed.xml"
FEED_ATOM = None
CATEGORY_FEED_ATOM = TAG_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 30
