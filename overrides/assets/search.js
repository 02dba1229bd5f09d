/* VTQ Hub: search on /search/, with Pagefind's index (hub_builder/publish/search_index.py).
 *
 * The header's search form sends ?q=… here, so search works from every page and its
 * results have an address. This script loads Pagefind only on this page and only when
 * there is something to look for; each query downloads just the index chunks it needs.
 * Where Pagefind cannot run (JavaScript off, or the site opened from files, where browsers
 * block the modules and WebAssembly it uses) the page says so and offers the A to Z and
 * the list of key dates instead.
 *
 * A page's result lists, under it, the places on the page the words were found: each key
 * date (a table row), answer or section with an id, linked to that place, with the words
 * around the find (a date's row starts with its date, so "13 August 2026 Results to
 * learners…"). Words families use for the same thing are searched together (resit and
 * retake, BTEC Nationals and BTEC Level 3…), and a search that finds nothing says so
 * plainly and points to the organisations' own pages.
 *
 * What is next comes first: a query that names a qualification ("t level results", "when
 * do btec results come out") or asks for results days shows the answers themselves above
 * the pages (search/answers.json, made by the build, matched as the home page's finder
 * matches names); a date that has passed is marked as passed, and a page's places list its
 * dates still to come before those that have passed.
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
  var PLACES = 3; // places shown under each page
  var WORDS = 22; // words in a place's excerpt
  /* Words families use for one thing: a query with one of them is also searched with the
     others. Longer phrases first, so "btec nationals" wins over "nationals". */
  var SYNONYMS = [
    ["btec nationals", "btec level 3", "level 3 btec"],
    ["tech awards", "technical awards", "tech award", "technical award"],
    ["results day", "results out", "results come out", "results released"],
    ["resits", "retakes", "re-sits", "resit", "retake", "re-sit"],
    ["t levels", "t level"],
    ["exams officer", "exam officer", "examinations officer"],
  ];
  var TOPICS = { resit: "resit", retake: "resit", "re-sit": "resit", checkpoint: "checkpoint", appeal: "appeal", certificate: "certificate" };
  var pagefind = null;
  var latest = 0;
  var answersBox = box.querySelector(".hub-search__answers");
  var answersData = null;
  var ANSWERS_SHOWN = 4;

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

  /* The places on a page where the words were found: for each find, the nearest element
     with an id before it (a date's row, an answer, a heading), best places first. */
  function places(data, terms) {
    var anchors = (data.anchors || []).filter(function (a) { return a.id; })
      .sort(function (a, b) { return a.location - b.location; });
    if (!anchors.length) return [];
    var words = data.content.split(/\s+/);
    var found = new Map();
    data.locations.forEach(function (location) {
      var anchor = null;
      anchors.forEach(function (a) { if (a.location <= location) anchor = a; });
      if (!anchor || anchor.location === 0) return;
      var place = found.get(anchor.id) || { anchor: anchor, hits: 0, first: location };
      place.hits += 1;
      found.set(anchor.id, place);
    });
    var today = window.VTQHub ? window.VTQHub.londonToday() : "";
    return Array.from(found.values())
      .map(function (place) { place.passed = isPassed(place, words, today); return place; })
      .sort(function (a, b) { return a.passed - b.passed || b.hits - a.hits || a.first - b.first; })
      .slice(0, PLACES)
      .map(function (place) {
        var a = place.anchor, next = anchors.filter(function (x) { return x.location > a.location; })[0];
        var limit = next ? next.location : words.length;
        var start = a.element === "tr" || a.element === "section" ? a.location : Math.max(a.location, place.first - 6);
        var label = a.text;
        if (!label) {
          // A row's text starts with its date, a section's with its heading: Pagefind ends
          // each with a full stop.
          var stop = words.slice(a.location, a.location + 10).findIndex(function (w) { return /[.:?]$/.test(w); });
          var head = stop >= 0 ? words.slice(a.location, a.location + stop + 1).join(" ").replace(/[.:]$/, "") : "";
          if (a.element === "tr" && !/^\d/.test(head)) head = ""; // a row whose date is not indexed
          if (head) start = a.location + stop + 1;
          var kind = place.passed ? "Key date, passed" : "Key date";
          label = a.element === "tr" ? (head ? kind + ": " + head : kind) : head || "On this page";
        }
        var cut = place.first - start > WORDS - 6; // the find is further on: start near it
        if (cut) start = place.first - 8;
        var end = Math.min(limit, start + WORDS);
        return {
          url: data.url.split("#")[0] + "#" + a.id,
          label: label,
          text: (cut ? "… " : "") + words.slice(start, end).join(" "),
          dated: a.element === "tr",
          passed: place.passed,
        };
      });
  }

  var MONTH_NUMBERS = { january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7,
    august: 8, september: 9, october: 10, november: 11, december: 12 };

  /* Whether a date's row has passed: the last day its text starts with ("2 November to
     23 December 2026", "8 July 2024, 5pm UK time") is before today, in UK time. */
  function isPassed(place, words, today) {
    if (place.anchor.element !== "tr" || !today) return false;
    var head = words.slice(place.anchor.location, place.anchor.location + 12).join(" ");
    var dates = head.match(/\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b/g);
    if (!dates) return false;
    var last = dates[dates.length - 1].split(" ");
    var iso = last[2] + "-" + String(MONTH_NUMBERS[last[1].toLowerCase()]).padStart(2, "0") + "-" + last[0].padStart(2, "0");
    return iso < today;
  }

  function marked(text, terms) {
    var p = document.createElement("p");
    p.className = "hub-search__excerpt";
    text.split(/(\s+)/).forEach(function (word) {
      var bare = word.toLowerCase().replace(/[^a-z0-9-]/g, "");
      var hit = bare && terms.some(function (t) { return bare.indexOf(t) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = word;
        p.append(mark);
      } else p.append(word);
    });
    if (text) p.append(" …");
    return p;
  }

  function item(data, terms) {
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
    var found = places(data, terms);
    var dated = found.filter(function (place) { return place.dated; });
    if (dated.length && dated.every(function (place) { return place.passed; })) li.setAttribute("data-passed", "");
    if (found.length) {
      var sub = document.createElement("ul");
      sub.className = "hub-search__places";
      found.forEach(function (place) {
        var entry = document.createElement("li");
        var title = document.createElement("p");
        title.className = "hub-search__place";
        title.append(link(place.url, place.label));
        entry.append(title);
        entry.append(marked(place.text, terms));
        sub.append(entry);
      });
      li.append(sub);
    }
    return li;
  }

  /* Whether the page holds a word that starts as a word of the query does (its first three
     letters): Pagefind also offers pages for a word that merely starts the query ("Z" for
     "zzqqxx"), which hold no such word. */
  function foundBy(data, terms) {
    var words = data.content.toLowerCase().split(/[^a-z0-9-]+/);
    return terms.some(function (t) {
      var start = t.slice(0, 3);
      return words.some(function (w) { return w.slice(0, start.length) === start && w.length >= start.length; });
    });
  }

  /* The query, the same query in the other words families use for one thing, and the
     query without a question's own words. */
  function variants(query) {
    var q = " " + query.toLowerCase().replace(/\s+/g, " ") + " ";
    var out = [query];
    SYNONYMS.some(function (group) {
      var used = group.filter(function (phrase) { return q.indexOf(" " + phrase + " ") >= 0; })[0];
      if (!used) return false;
      group.forEach(function (phrase) {
        if (phrase !== used) out.push(q.replace(" " + used + " ", " " + phrase + " ").trim());
      });
      return true;
    });
    // A question's own words set aside, as the finder does: "my son did a level 3 btec"
    // is also searched as "level 3 btec".
    var plain = window.VTQHub && window.VTQHub.asked ? window.VTQHub.asked(query) : "";
    if (plain && out.indexOf(plain) < 0 && plain !== q.trim()) out.push(plain);
    return out;
  }

  function termsOf(queries) {
    var terms = [];
    queries.join(" ").toLowerCase().split(/\s+/).forEach(function (w) {
      var bare = w.replace(/[^a-z0-9-]/g, "");
      // A rough stem, for marking only ("retakes", "retaking" → "retak"); Pagefind stems too.
      var stem = bare.length > 4 ? bare.replace(/(ing|es|s|e)$/, "") : bare;
      if (stem.length > 1 && terms.indexOf(stem) < 0) terms.push(stem);
    });
    return terms;
  }

  /* The answers a query names, best first: for results days themselves, or for the
     qualifications whose names the query holds once the question's words are set aside. */
  function answersFor(query, all) {
    var hub = window.VTQHub;
    if (!hub || !hub.matching) return [];
    var cards = all.map(function (a) {
      return { answer: a, names: a.names.map(function (n) { return hub.words(n); }) };
    });
    var withoutYears = query.replace(/\b20\d\d\b/g, " ");
    var days = cards.filter(function (c) { return c.answer.kind === "results-days"; });
    var named = hub.matching(days, withoutYears) || [];
    var used = withoutYears;
    if (!named.length) {
      used = hub.asked(query); // the question's own words set aside, as the finder does
      named = used ? hub.matching(cards.filter(function (c) { return days.indexOf(c) < 0; }), used) || [] : [];
    }
    // The answers, and the words they were found by (what the home page's finder needs).
    return { answers: named.map(function (c) { return c.answer; }), words: used.trim() };
  }

  function showAnswers(query, ticket) {
    if (!answersData) {
      answersData = fetch(box.getAttribute("data-root") + "search/answers.json", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { answers: [] }; })
        .catch(function () { return { answers: [] }; });
    }
    return answersData.then(function (data) {
      if (ticket !== latest) return;
      var matched = query ? answersFor(query, data.answers) : { answers: [], words: "" };
      var found = matched.answers;
      var ul = answersBox.querySelector("ul");
      ul.textContent = "";
      found.slice(0, ANSWERS_SHOWN).forEach(function (a) {
        var li = document.createElement("li");
        li.className = "hub-search__answer";
        var title = document.createElement("p");
        title.className = "hub-search__place";
        title.append(link(box.getAttribute("data-root") + a.url, a.name + (a.organisation ? " from " + a.organisation : "")));
        var text = document.createElement("p");
        text.className = "hub-search__excerpt";
        text.textContent = a.answer;
        li.append(title, text);
        ul.append(li);
      });
      if (found.length > ANSWERS_SHOWN) {
        var more = document.createElement("li");
        more.append(link(box.getAttribute("data-root") + "?q=" + encodeURIComponent(matched.words), "All " + found.length + " answers"));
        ul.append(more);
      }
      answersBox.hidden = !found.length;
    });
  }

  function nothingFound(query) {
    var topic = null;
    query.toLowerCase().split(/\s+/).some(function (w) {
      topic = TOPICS[w.replace(/s$/, "")] || null;
      return topic;
    });
    var root = box.getAttribute("data-root");
    var p = document.createElement("p");
    p.append(topic
      ? "No " + topic + " dates on the hub yet. "
      : "Nothing on the hub matches “" + query + "” yet. ");
    p.append("Awarding organisations publish their own dates and guidance: find the organisation in the ");
    p.append(link(root + "organisations/", "A to Z"));
    p.append(" and follow the links on its page, or ask your school or college's exams officer.");
    list.textContent = "";
    var li = document.createElement("li");
    li.className = "hub-search__none";
    li.append(p);
    list.append(li);
    say(topic ? "No " + topic + " dates on the hub yet." :
      "Nothing found for “" + query + "”. Try fewer words, an acronym such as “NCFE”, or a recognition number such as “RN5156”.");
  }

  /* The query's own results first, as soon as the best one's fragment arrives; then, once
     they are on the page, pages that only the other words families use find (so the extra
     searches never delay the first result). A page is kept only when it holds a word of the
     query (foundBy). */
  function run(query) {
    var ticket = ++latest;
    list.textContent = "";
    showAnswers(query, ticket);
    if (!query) { say(""); return Promise.resolve(); }
    say("Searching…");
    var queries = variants(query);
    var terms = termsOf(queries);
    var seen = new Set();
    var kept = 0;
    var total = 0;

    function add(data) {
      if (ticket !== latest || !foundBy(data, terms)) return;
      kept += 1;
      list.append(item(data, terms));
    }

    function show(results) {
      if (ticket !== latest || !results.length) return Promise.resolve();
      return results[0].data().then(function (first) {
        add(first);
        return Promise.all(results.slice(1).map(function (r) { return r.data(); }));
      }).then(function (pages) { if (pages) pages.forEach(add); });
    }

    return pagefind.search(query).then(function (own) {
      total = own.results.length;
      own.results.forEach(function (r) { seen.add(r.id); });
      return show(own.results.slice(0, shown));
    }).then(function () {
      if (ticket !== latest || queries.length === 1) return;
      return Promise.all(queries.slice(1).map(function (q) { return pagefind.search(q); }))
        .then(function (searches) {
          var more = [];
          searches.forEach(function (search) {
            search.results.forEach(function (r) {
              if (!seen.has(r.id)) { seen.add(r.id); more.push(r); }
            });
          });
          more.sort(function (a, b) { return b.score - a.score; });
          total += more.length;
          return show(more.slice(0, Math.max(0, shown - kept)));
        });
    }).then(function () {
      if (ticket !== latest) return;
      if (!kept) { nothingFound(query); return; }
      // Pages whose dates found have all passed go after those with a date still to come.
      Array.prototype.filter.call(list.children, function (li) { return li.hasAttribute("data-passed"); })
        .forEach(function (li) { list.append(li); });
      var count = total > shown ? total : kept;
      var also = queries.length > 1 ? " (also searched: " + queries.slice(1).map(function (q) { return "“" + q + "”"; }).join(", ") + ")" : "";
      say(count + (count === 1 ? " result" : " results") + " for “" + query + "”" + also +
        (count > shown ? ", showing the best " + shown : "") + ".");
    });
  }

  function remember(query) {
    history.replaceState(null, "", location.pathname + (query ? "?q=" + encodeURIComponent(query) : ""));
  }

  var query = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = query;
  unavailable.hidden = true;
  if (!query) input.focus(); // come to search: the field is ready for typing

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
