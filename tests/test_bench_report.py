"""The benchmark's report (bench/run.py `report`): the build without search is taken build by build."""

from __future__ import annotations


def test_the_build_without_search_pairs_each_build_with_its_own_search_stage(bench_run) -> None:
    ours = bench_run.Result("site_gen", 10)
    for total, search, nocache_total, nocache_search in ((20.0, 12.0, 18.0, 11.0), (30.0, 13.0, 19.0, 14.0),
                                                         (21.0, 16.0, 25.0, 12.0)):
        ours.add("cold_s", total)
        ours.stages.setdefault("cold: search index", []).append(search)
        ours.add("cold_nocache_s", nocache_total)
        ours.stages.setdefault(f"{bench_run.NO_CACHE}: search index", []).append(nocache_search)
    assert bench_run.without_search(ours, "cold") == [8.0, 17.0, 5.0]
    pelican = bench_run.Result("Pelican", 10, figures={"cold_s": [40.0, 34.0, 30.0]})
    text = bench_run.report(10, 3, {"ours": ours, "pelican": pelican})
    # Medians of 8, 17, 5 and of 7, 5, 13; one median less the other would give 21 - 13 = 8 and 19 - 12 = 7.
    assert "| site_gen without its search stage | 8.00 s |" in text
    assert "| site_gen --no-cache without its search stage | 7.00 s |" in text
    assert "ratio Pelican / site_gen without search: 4.25 wall" in text
    assert "the same ratio round by round: 5.00, 2.00, 6.00" in text
