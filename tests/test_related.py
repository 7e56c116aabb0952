"""Related articles (pages.Planner.rank_related) against a plain statement of the rule: among the articles
nearest in time within each shared zone and tag (RELATED_WINDOW either side), a shared zone weighs 3 and a shared
tag 1; best score first, then newest; RELATED_LIMIT of them."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from hypothesis import given, settings, strategies as st

from site_gen import pages

ZONES, TAGS = ["甲区", "乙区", "丙区"], ["园区", "项目", "招商", "投资"]


def expected(model, article, window):
    scores: Counter[str] = Counter()
    for name, weight, terms in (("zones", 3, article.zones), ("tags", 1, article.tags)):
        for term in terms:
            keys = model.taxonomies[name].terms[term]
            at = len(keys) - 1 - keys[::-1].index(article.key)  # an article listing the term twice: its last place
            near = keys if len(keys) <= 2 * window else keys[max(0, at - window): at + window + 1]
            for key in near:
                scores[key] += weight
    scores.pop(article.key, None)
    order = {a.key: i for i, a in enumerate(model.articles)}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
    return [key for key, _ in ranked[:pages.RELATED_LIMIT]]


def planner_for(articles):
    """A planner over a bare model: the articles (newest first) and their zone and tag lists."""
    taxonomies = {}
    for name in ("zones", "tags"):
        terms: dict[str, list[str]] = {}
        for a in articles:
            for term in getattr(a, name):
                terms.setdefault(term, []).append(a.key)
        taxonomies[name] = SimpleNamespace(terms={t: tuple(keys) for t, keys in terms.items()})
    model = SimpleNamespace(articles=articles, taxonomies=taxonomies)
    planner = pages.Planner.__new__(pages.Planner)
    planner.model = model
    planner._order = {a.key: i for i, a in enumerate(articles)}
    planner._positions, planner._term_positions = {}, {}
    return planner


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(ZONES), max_size=2), st.lists(st.sampled_from(TAGS), max_size=3)),
                min_size=1, max_size=40),
       st.integers(min_value=1, max_value=6))
def test_related_lists_follow_the_rule(memberships, window):
    articles = [SimpleNamespace(key=f"a{i:02d}", zones=tuple(z), tags=tuple(t))  # a term listed twice, too
                for i, (z, t) in enumerate(memberships)]
    original = pages.RELATED_WINDOW, pages.DENSE_SPAN
    pages.RELATED_WINDOW = window  # small windows, so that long terms are cut
    try:
        for dense_span in (0, 10**9):  # neighbours always sorted, always counted by bincount
            pages.DENSE_SPAN = dense_span
            planner = planner_for(articles)
            for article in articles:
                assert planner.rank_related(article) == expected(planner.model, article, window), (article, dense_span)
    finally:
        pages.RELATED_WINDOW, pages.DENSE_SPAN = original


def test_a_shared_zone_outweighs_two_shared_tags_and_ties_go_to_the_newer():
    articles = [SimpleNamespace(key="new", zones=(), tags=("园区", "项目")),
                SimpleNamespace(key="mid", zones=("甲区",), tags=()),
                SimpleNamespace(key="me", zones=("甲区",), tags=("园区", "项目")),
                SimpleNamespace(key="old", zones=(), tags=("园区", "项目")),
                SimpleNamespace(key="alone", zones=("乙区",), tags=("招商",))]
    assert planner_for(articles).rank_related(articles[2]) == ["mid", "new", "old"]
    assert planner_for(articles).rank_related(articles[4]) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(ZONES), max_size=3), st.lists(st.sampled_from(TAGS), max_size=4)),
                min_size=1, max_size=30))
def test_zone_stats_count_the_other_zones_and_the_tags_left(memberships):
    """co_mentioned and top_tags (a zone page's side column): counts, most first, then by name."""
    from site_gen.model import co_mentioned, top_tags

    articles = [SimpleNamespace(key=f"a{i:02d}", zones=tuple(z), tags=tuple(t)) for i, (z, t) in enumerate(memberships)]
    model = planner_for(articles).model
    model.by_key = {a.key: a for a in articles}
    for zone, keys in model.taxonomies["zones"].terms.items():
        others = Counter(z for k in keys for z in model.by_key[k].zones if z != zone)
        assert co_mentioned(model, zone, limit=2) == sorted(others.items(), key=lambda i: (-i[1], i[0]))[:2]
        tags = Counter(t for k in keys for t in model.by_key[k].tags if t not in {"园区"})
        assert top_tags(model, keys, exclude={"园区"}) == sorted(tags.items(), key=lambda i: (-i[1], i[0]))[:12]
