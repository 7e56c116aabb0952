// The search page (search/index.html) over the Pagefind bundle.
//
// The index holds, at each Han character, one word for that character and the next, written as codes of
// letters and digits, and "z" + every other word (scheme "codes", site_gen/search_text.py). A query is
// prepared the same way here: folded with the character map the build writes (search/query.json), cut
// into the index's words and searched as a phrase, so it finds exactly the articles that contain it,
// whatever a word segmenter would have made of it. Several words separated by spaces must all occur.
// The older scheme "chars" (one word per character, the benchmark's comparison) is still understood.
//
// No inline script anywhere (CSP-friendly): the page passes its paths in data- attributes.
(function () {
  "use strict";

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_CHAR = new RegExp("[" + HAN + "]");
  var CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014";
  var FILTERS = [["zone", "开发区"], ["city", "城市"], ["category", "分类"], ["source", "来源"], ["year", "年份"]];
  var PAGE_SIZE = 10;

  // ---- query preparation (the same rules as site_gen/search_text.py) ----

  function makeFold(map) {
    var table = {};
    if (map && map.t) {
      var t = Array.from(map.t), s = Array.from(map.s);
      for (var i = 0; i < t.length; i++) { table[t[i]] = s[i]; }
    }
    return function (text) {
      return Array.from(text).map(function (c) { return table[c] || c; }).join("");
    };
  }

  // Index words of a run of Han characters: the `gram` characters starting at each position.
  function grams(run, gram) {
    var words = [];
    for (var i = 0; i + gram <= run.length; i++) { words.push(run.slice(i, i + gram).join("")); }
    return words;
  }

  // A Han character's code: three base-36 digits over the blocks of HAN (search_text.han_code).
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var BLOCKS = [[0x3400, 0x4DBF, 0], [0x4E00, 0x9FFF, 6592], [0xF900, 0xFAFF, 6592 + 20992]];
  function hanCode(c) {
    var point = c.codePointAt(0);
    for (var i = 0; i < BLOCKS.length; i++) {
      if (point >= BLOCKS[i][0] && point <= BLOCKS[i][1]) {
        var n = point - BLOCKS[i][0] + BLOCKS[i][2];
        return DIGITS[Math.floor(n / 1296)] + DIGITS[Math.floor(n / 36) % 36] + DIGITS[n % 36];
      }
    }
    return c;
  }
  function hanChar(code) {
    var n = DIGITS.indexOf(code[0]) * 1296 + DIGITS.indexOf(code[1]) * 36 + DIGITS.indexOf(code[2]);
    for (var i = BLOCKS.length - 1; i >= 0; i--) {
      if (n >= BLOCKS[i][2]) { return String.fromCodePoint(BLOCKS[i][0] + n - BLOCKS[i][2]); }
    }
    return code;
  }

  // "靈石 开发区" → ['bw5ddf', '"8g068h 68h64a"'] (scheme codes): one Pagefind query per part, the parts
  // being what spaces and punctuation separate (the index keeps punctuation as words of its own, with
  // positions, so a phrase cannot run across it). A run of n ≥ 2 Han characters is its n − 1 pair
  // words, plus the code of its last character when more words follow (the text's run ends there
  // too); one character alone is its code, which Pagefind matches as a prefix of every pair that
  // starts with it; other words get their "z".
  // `phrases`: the names (folded) the index has a phrase companion for (query.json, site_gen/search_merge.py):
  // such a name alone in its part is searched by the companion, a list of the pages that hold it,
  // instead of the positions of all its pairs (经济, 技术, 开发 … occur in most articles).
  function codeParts(query, fold, phrases) {
    var parts = [];
    fold(query || "").split(/\s+/).forEach(function (part) {
      var segments = [[]];   // each: pieces [isHan, chars]
      Array.from(part).forEach(function (c) {
        var han = HAN_CHAR.test(c);
        var pieces = segments[segments.length - 1];
        if (!han && !/[\p{L}\p{N}]/u.test(c)) { if (pieces.length) { segments.push([]); } return; }
        var last = pieces[pieces.length - 1];
        if (last && last[0] === han) { last[1].push(han ? c : c.toLowerCase()); } else { pieces.push([han, [han ? c : c.toLowerCase()]]); }
      });
      segments.forEach(function (pieces) {
        if (phrases && pieces.length === 1 && pieces[0][0] && phrases.has(pieces[0][1].join(""))) {
          parts.push(pieces[0][1].map(hanCode).join("") + "_");  // unquoted: the companion is the only word with this start
        } else {
          segmentParts(pieces, parts);
        }
      });
    });
    return parts;
  }

  function segmentParts(pieces, parts) {
    var phrase = [];
    pieces.forEach(function (piece, i) {
      var chars = piece[1];
      if (!piece[0]) { phrase.push("z" + chars.join("")); return; }
      var codes = chars.map(hanCode);
      for (var k = 0; k + 1 < codes.length; k++) { phrase.push(codes[k] + codes[k + 1]); }
      if (i + 1 < pieces.length) { phrase.push(codes[codes.length - 1]); }
      else if (codes.length === 1) {
        if (phrase.length) { parts.push(codes[0]); } else { phrase.push(codes[0]); } // a prefix, on its own
      }
    });
    // Quoted: Pagefind's exact search. Unquoted, Pagefind 1.5 also returns pages whose words only
    // resemble the term (代告 found 767 pages where 8 contain it), so only a lone character's code,
    // which must match as a prefix, goes unquoted.
    if (phrase.length === 1 && phrase[0].length === 3 && HAN_CODE.test(phrase[0])) { parts.push(phrase[0]); }
    else if (phrase.length) { parts.push('"' + phrase.join(" ") + '"'); }
  }
  var HAN_CODE = /^[0-9a-l][0-9a-z]{2}$/;

  // "靈石 开发区" → ['"灵 石"', '"开 发 区"'] (scheme chars, gram 1): one Pagefind query per space-separated part.
  // A run of Han characters at least `gram` long is a phrase of its words; a shorter one is the start
  // of a word (Pagefind's prefix search); Latin words and numbers are words of their own.
  function queryParts(query, fold, gram) {
    gram = gram || 1;
    var parts = [];
    fold(query || "").split(/\s+/).forEach(function (part) {
      var pieces = [];   // [isHan, text]
      Array.from(part).forEach(function (c) {
        var han = HAN_CHAR.test(c);
        if (!han && !/[\p{L}\p{N}]/u.test(c)) { pieces.push(null); return; } // punctuation separates
        var last = pieces[pieces.length - 1];
        if (last && last[0] === han) { last[1].push(han ? c : c.toLowerCase()); } else { pieces.push([han, [han ? c : c.toLowerCase()]]); }
      });
      var phrase = [];
      pieces.forEach(function (piece) {
        if (!piece) { return; }
        if (!piece[0]) { phrase.push(piece[1].join("")); }
        else if (piece[1].length >= gram) { phrase = phrase.concat(grams(piece[1], gram)); }
        else { parts.push(piece[1].join("")); } // too short for a word: searched on its own, as a prefix
      });
      if (phrase.length === 1 && !HAN_CHAR.test(phrase[0])) { parts.push(phrase[0]); }
      else if (phrase.length) { parts.push('"' + phrase.join(" ") + '"'); }
    });
    return parts;
  }

  // The excerpt's text in the "codes" scheme: each code word stands for its first character, "z" words
  // for themselves; the page highlights the query in it as in titles (highlightTitle).
  var CODE_WORD = /^[0-9a-l][0-9a-z]{2}(?:[0-9a-l][0-9a-z]{2})?$/;
  function excerptText(html) {
    var box = document.createElement("textarea");
    box.innerHTML = html.replace(/<\/?mark>/g, "");
    var out = "", prev = "";
    box.value.split(/ +/).forEach(function (w) {
      if (!w) { return; }
      // Pagefind ends a block that has no closing punctuation with "." (not the article's text).
      var word = w.replace(/\.$/, "");
      var text = CODE_WORD.test(word) ? hanChar(word) : (/^z[\p{L}\p{N}]+$/u.test(word) ? word.slice(1) : w);
      if (out && !CJK.test(prev.slice(-1)) && !CJK.test(text.charAt(0))) { out += " "; }
      out += text;
      prev = text;
    });
    return out;
  }

  // Pagefind's excerpt is cut from the indexed words: each Han word stands for its first character,
  // and words are separated by spaces. Read the text back and merge the per-word highlights (chars).
  var CJK = new RegExp("[" + HAN + CJK_PUNCT + "]");
  function joinExcerpt(html) {
    var words = [];  // [text, marked]
    var inMark = false;
    html.split(/(<\/?mark>)/).forEach(function (piece) {
      if (piece === "<mark>") { inMark = true; return; }
      if (piece === "</mark>") { inMark = false; return; }
      piece.split(/( +)/).forEach(function (w, i) {
        if (!w) { return; }
        if (i % 2 === 1) { words.push([" ", false]); return; }
        var first = Array.from(w)[0];
        words.push([HAN_CHAR.test(first) ? first : w, inMark]);
      });
    });
    var out = "", open = false, prev = "";
    words.forEach(function (word, i) {
      var text = word[0];
      if (text === " ") {
        var next = (words[i + 1] || [""])[0];
        if (!next || CJK.test(prev.slice(-1)) || CJK.test(next.charAt(0))) { return; }
      }
      var marked = text === " " ? open && (words[i + 1] || [])[1] : word[1];
      if (marked !== open) { out += marked ? "<mark>" : "</mark>"; open = marked; }
      out += text;
      prev = text;
    });
    return out + (open ? "</mark>" : "");
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Highlight the query's parts in a title (folding is one character for one, so positions agree).
  function highlightTitle(title, query, fold) {
    var folded = fold(title);
    var marks = new Array(title.length + 1).fill(0);
    fold(query || "").split(/\s+/).filter(Boolean).forEach(function (part) {
      var at = folded.indexOf(part);
      while (at !== -1 && part) {
        marks[at] += 1; marks[at + part.length] -= 1;
        at = folded.indexOf(part, at + part.length);
      }
    });
    var out = "", depth = 0, open = false;
    for (var i = 0; i <= title.length; i++) {
      depth += marks[i];
      if (depth > 0 && !open) { out += "<mark>"; open = true; }
      if (depth <= 0 && open) { out += "</mark>"; open = false; }
      if (i < title.length) { out += escapeHtml(title[i]); }
    }
    return out;
  }

  // ---- searching ----

  function Searcher(pagefind, fold, gram, scheme, phrases) {
    this.pagefind = pagefind;
    this.fold = fold;
    this.gram = gram;
    this.scheme = scheme;
    this.phrases = new Set(phrases || []);
  }

  // Results of a query (null or "" lists everything the filters allow), as Pagefind returns them.
  // Several parts: each part is a Pagefind search, and the results are those of the first part that
  // every other part also found; filter counts are those of the most selective part.
  Searcher.prototype.search = function (query, options) {
    var pagefind = this.pagefind;
    var parts = this.scheme === "codes" ? codeParts(query, this.fold, this.phrases) : queryParts(query, this.fold, this.gram);
    var opts = { filters: options.filters || {} };
    if (options.sort) { opts.sort = options.sort; }
    if (!parts.length) { parts = [null]; }
    return Promise.all(parts.map(function (p) { return pagefind.search(p, opts); })).then(function (all) {
      var first = all[0];
      var ordered = first.results; // Pagefind's order: by relevance, or by date when sorted
      if (all.length === 1) {
        return { results: ordered, filters: first.filters, totalFilters: first.totalFilters,
                 unfilteredResultCount: first.unfilteredResultCount };
      }
      var smallest = all.reduce(function (a, b) { return b.results.length < a.results.length ? b : a; });
      var keep = all.slice(1).map(function (r) { return new Set(r.results.map(function (x) { return x.id; })); });
      var results = ordered.filter(function (x) { return keep.every(function (s) { return s.has(x.id); }); });
      return { results: results, filters: smallest.filters, totalFilters: smallest.totalFilters,
               unfilteredResultCount: smallest.unfilteredResultCount };
    });
  };

  function createSearcher(bundlePath, queryUrl) {
    bundlePath = new URL(bundlePath, document.baseURI).href; // import() needs a URL, not a bare path
    var settingsLoad = fetch(queryUrl).then(function (r) {
      if (!r.ok) { throw new Error(queryUrl + ": HTTP " + r.status); }
      return r.json();
    });
    var pagefindLoad = Promise.all([import(bundlePath + "pagefind.js"), settingsLoad]).then(function (loaded) {
      var pagefind = loaded[0];
      // One index, merged from the shards Pagefind built (site_gen/search_merge.py).
      return pagefind.options({ excerptLength: 50 })
        // filters() loads every filter's values once: Pagefind counts only the filters it has loaded.
        .then(function () { return pagefind.filters(); })
        .then(function () { return pagefind; });
    });
    return Promise.all([pagefindLoad, settingsLoad]).then(function (loaded) {
      return new Searcher(loaded[0], makeFold(loaded[1]), loaded[1].gram || 1, loaded[1].scheme || "chars",
                          loaded[1].phrases);
    });
  }

  window.SiteSearch = { createSearcher: createSearcher, queryParts: queryParts, codeParts: codeParts,
                        makeFold: makeFold, joinExcerpt: joinExcerpt, excerptText: excerptText };

  // ---- the page ----

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (k === "html") { node.innerHTML = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function SearchPage(root, searcher) {
    this.root = root;
    this.searcher = searcher;
    this.form = root.querySelector("form");
    this.input = root.querySelector("input[type=search]");
    this.sortSelect = root.querySelector("select[name=sort]");
    this.status = root.querySelector(".search-status");
    this.list = root.querySelector(".search-results");
    this.more = root.querySelector(".search-more");
    this.filterBox = root.querySelector(".search-filters");
    this.selected = {};
    this.results = [];
    this.shown = 0;
    this.generation = 0;
    this.query = "";
  }

  SearchPage.prototype.readUrl = function () {
    var params = new URLSearchParams(window.location.search);
    if (params.has("q")) { this.input.value = params.get("q"); } // else keep what was typed while loading
    this.sortSelect.value = params.get("sort") || "";
    var selected = {};
    FILTERS.forEach(function (f) {
      var values = params.getAll(f[0]).filter(Boolean);
      if (values.length) { selected[f[0]] = values; }
    });
    this.selected = selected;
  };

  SearchPage.prototype.writeUrl = function () {
    var params = new URLSearchParams();
    if (this.input.value.trim()) { params.set("q", this.input.value.trim()); }
    var selected = this.selected;
    FILTERS.forEach(function (f) { (selected[f[0]] || []).forEach(function (v) { params.append(f[0], v); }); });
    if (this.sortSelect.value) { params.set("sort", this.sortSelect.value); }
    var search = params.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  };

  SearchPage.prototype.sortOption = function (query) {
    var value = this.sortSelect.value;
    if (value === "newest" || (!value && !query)) { return { date: "desc" }; }
    if (value === "oldest") { return { date: "asc" }; }
    return null; // relevance
  };

  SearchPage.prototype.run = function () {
    var self = this;
    var query = this.input.value.trim();
    var generation = ++this.generation;
    this.writeUrl();
    var filters = {};
    Object.keys(this.selected).forEach(function (k) {
      if (self.selected[k].length) { filters[k] = { any: self.selected[k] }; }
    });
    if (!query && !Object.keys(filters).length) {
      this.results = []; this.shown = 0; this.query = "";
      this.list.textContent = ""; this.more.hidden = true;
      this.status.textContent = "输入关键词搜索全部文章，可用繁体或简体；多个词用空格分开。";
      this.renderFilters(null);
      this.root.setAttribute("aria-busy", "false");
      return Promise.resolve();
    }
    this.status.textContent = "正在搜索…";
    this.root.setAttribute("aria-busy", "true");
    return this.searcher.search(query, { filters: filters, sort: this.sortOption(query) }).then(function (found) {
      if (generation !== self.generation) { return; }
      self.query = query;
      self.results = found.results;
      self.shown = 0;
      self.list.textContent = "";
      self.renderFilters(found.filters);
      self.status.textContent = found.results.length
        ? "找到 " + found.results.length + " 篇文章" + (query ? "包含“" + query + "”" : "")
        : (query ? "没有找到包含“" + query + "”的文章。" : "没有符合条件的文章。");
      return self.showMore(generation);
    });
  };

  SearchPage.prototype.showMore = function (generation) {
    var self = this;
    var batch = this.results.slice(this.shown, this.shown + PAGE_SIZE);
    this.shown += batch.length;
    this.more.hidden = this.shown >= this.results.length;
    this.root.setAttribute("aria-busy", "true");
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (generation !== self.generation) { return; }
      items.forEach(function (item) { self.list.appendChild(self.renderResult(item)); });
      self.root.setAttribute("aria-busy", "false");
    });
  };

  SearchPage.prototype.renderResult = function (item) {
    var meta = item.meta || {};
    var bits = [];
    if (meta.date) { bits.push(el("time", { datetime: meta.date, text: meta.date })); }
    if (meta.source) { bits.push(el("span", { class: "search-result-source", text: "来源：" + meta.source })); }
    return el("li", { class: "search-result" }, [
      el("a", { class: "search-result-link", href: item.url, html: highlightTitle(meta.title || item.url, this.query, this.searcher.fold) }),
      el("p", { class: "search-result-meta" }, bits),
      el("p", { class: "search-result-excerpt", html: !this.query ? "" : this.searcher.scheme === "codes"
        ? highlightTitle(excerptText(item.excerpt), this.query, this.searcher.fold) : joinExcerpt(item.excerpt) }),
    ]);
  };

  SearchPage.prototype.renderFilters = function (counts) {
    var self = this;
    this.filterBox.textContent = "";
    if (!counts) { return; }
    FILTERS.forEach(function (f) {
      var key = f[0];
      var values = counts[key] || {};
      var chosen = self.selected[key] || [];
      var names = Object.keys(values).filter(function (v) { return values[v] > 0 || chosen.indexOf(v) !== -1; });
      if (!names.length) { return; }
      names.sort(function (a, b) {
        return key === "year" ? b.localeCompare(a) : (values[b] - values[a]) || a.localeCompare(b, "zh-CN");
      });
      var group = el("fieldset", { class: "search-filter", "data-filter": key }, [el("legend", { text: f[1] })]);
      names.forEach(function (name) {
        var box = el("input", { type: "checkbox", name: key, value: name });
        box.checked = chosen.indexOf(name) !== -1;
        box.addEventListener("change", function () {
          var list = (self.selected[key] || []).filter(function (v) { return v !== name; });
          if (box.checked) { list.push(name); }
          self.selected[key] = list;
          self.run();
        });
        group.appendChild(el("label", {}, [box, el("span", { text: name }),
          el("span", { class: "search-filter-count", text: String(values[name] || 0) })]));
      });
      self.filterBox.appendChild(group);
    });
  };

  SearchPage.prototype.start = function () {
    var self = this;
    var timer = null;
    this.readUrl();
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.run(); });
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.run(); }, 250);
    });
    this.sortSelect.addEventListener("change", function () { self.run(); });
    this.more.addEventListener("click", function () { self.showMore(self.generation); });
    return this.run();
  };

  function start() {
    var root = document.getElementById("search");
    if (!root) { return; }
    var status = root.querySelector(".search-status");
    createSearcher(root.getAttribute("data-bundle-path"), root.getAttribute("data-query")).then(function (searcher) {
      var page = new SearchPage(root, searcher);
      window.SiteSearch.page = page;
      root.setAttribute("data-ready", "");
      return page.start();
    }).catch(function (error) {
      status.textContent = "搜索暂时无法使用（" + error.message + "）。";
      throw error;
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
