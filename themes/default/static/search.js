// Search page: Pagefind's Default UI, with the query and filters taken from the URL (?q=…&zone=…)
// so searches can be shared and zone pages can link to a scoped search.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("search");
    if (!element || typeof PagefindUI === "undefined") { return; }
    var params = new URLSearchParams(window.location.search);
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: element.getAttribute("data-bundle-path"),
      showSubResults: false,
      showImages: false,
      resetStyles: false,
      sort: { date: "desc" },
      translations: { placeholder: "搜索文章、开发区、地名、人名…", zero_results: "没有找到与 [SEARCH_TERM] 相关的文章" }
    });
    var filters = {};
    ["zone", "region", "category", "source", "year"].forEach(function (key) {
      if (params.get(key)) { filters[key] = params.get(key); }
    });
    if (Object.keys(filters).length) { ui.triggerFilters(filters); }
    if (params.get("q")) { ui.triggerSearch(params.get("q")); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
