/* VTQ Hub: search on /search/, with Pagefind's index (hub_builder/publish/search_index.py).
 *
 * The header's search form sends ?q=… here, so search works from every page and its
 * results have an address. This script loads Pagefind only on this page and only when
 * there is something to look for; each query downloads just the index chunks it needs.
 * Where Pagefind cannot run (JavaScript off, or the site opened from files, where browsers
 * block the modules and WebAssembly it uses) the page says so and offers the A to Z and
 * the list of key dates instead.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-hub-search]");
  if (!box) return;
  var form = box.querySelector("form");
  var input = form.elements.q;
  var status = box.querySelector(".hub-search__status");
  var list = box.querySelector(".hub-search__results");
  var unavailable = box.querySelector(".hub-search__unavailable");
  var shown = 10;
  var pagefind = null;
  var latest = 0;

  function say(text) { status.textContent = text; }

  function cannotRun(reason) {
    unavailable.textContent = "";
    unavailable.append(reason + " Find what you need from the ");
    unavailable.append(link(box.getAttribute("data-root") + "organisations/", "awarding organisations A to Z"));
    unavailable.append(" or the ");
    unavailable.append(link(box.getAttribute("data-root") + "dates/", "list of all key dates"));
    unavailable.append(".");
    unavailable.hidden = false;
    say("");
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  /* Pagefind's excerpt is HTML with <mark> around the words found: keep only text and marks. */
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var p = document.createElement("p");
    p.className = "hub-search__excerpt";
    template.content.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) p.append(node.textContent);
      else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else p.append(node.textContent);
    });
    return p;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "hub-search__result";
    var heading = document.createElement("h2");
    heading.className = "hub-search__title";
    heading.append(link(data.url, data.meta.title || data.url));
    li.append(heading);
    if (data.meta.type) {
      var kind = document.createElement("p");
      kind.className = "hub-search__type";
      kind.textContent = data.meta.type;
      li.append(kind);
    }
    li.append(excerpt(data.excerpt));
    return li;
  }

  function run(query) {
    var ticket = ++latest;
    list.textContent = "";
    if (!query) { say(""); return Promise.resolve(); }
    say("Searching…");
    return pagefind.search(query).then(function (search) {
      if (ticket !== latest) return;
      var count = search.results.length;
      if (!count) {
        say("No results for “" + query + "”. Try fewer words, an acronym such as “NCFE”, or a recognition number such as “RN5156”.");
        return;
      }
      // The best result first, as soon as its own fragment arrives; then the rest.
      var best = search.results.slice(0, shown);
      return best[0].data().then(function (first) {
        if (ticket !== latest) return;
        list.append(item(first));
        return Promise.all(best.slice(1).map(function (r) { return r.data(); }));
      }).then(function (pages) {
        if (ticket !== latest || !pages) return;
        pages.forEach(function (page) { list.append(item(page)); });
        say(count + (count === 1 ? " result" : " results") + " for “" + query + "”" +
          (count > shown ? ", showing the best " + shown : "") + ".");
      });
    });
  }

  function remember(query) {
    history.replaceState(null, "", location.pathname + (query ? "?q=" + encodeURIComponent(query) : ""));
  }

  var query = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = query;
  unavailable.hidden = true;

  if (location.protocol === "file:") {
    cannotRun("Search cannot run when the site is opened from files on a computer: browsers block what it needs there.");
    return;
  }

  var root = new URL(box.getAttribute("data-root"), location.href).pathname;
  var ready = import(new URL(box.getAttribute("data-pagefind"), location.href).href)
    .then(function (module) {
      pagefind = module;
      // Long organisation pages (hundreds of dates) must not lose to short pages that
      // merely mention a name: page length counts for little.
      // No worker: one file fewer to download, and a query is quick on the page itself.
      return pagefind.options({
        baseUrl: root, excerptLength: 24, noWorker: true, ranking: { pageLength: 0.2 },
      });
    })
    .then(function () { return pagefind.init(); });

  ready.then(function () {
    var typing = 0;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input.value.trim();
      remember(q);
      run(q);
    });
    input.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        var q = input.value.trim();
        remember(q);
        run(q);
      }, 300);
    });
    return run(query);
  }).catch(function () {
    cannotRun("Search could not start in this browser.");
  });
})();
