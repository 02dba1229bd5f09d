/* VTQ Hub: the key-dates explorer on /dates/.
 *
 * Without JavaScript /dates/ is a plain list (or, on a big hub, a list of month pages).
 * With it, this script reads dates/explorer/index.json, then only the month slices a
 * filter needs, filters them a chunk at a time so the page never freezes, and shows the
 * first 100 matches with a "Show more dates" button. The filters live in the address
 * (?ao=pearson,ncfe&kind=checkpoint&upcoming=0), so a filtered list can be bookmarked and
 * shared. "Upcoming" and the countdowns use the visitor's own clock, in UK time: a static
 * site's build date goes stale. When nothing is still to come, the list opens on the latest
 * academic year, newest first, and says so. The form is in the page from the start (a
 * no-script stylesheet hides it without JavaScript), so nothing moves when the data arrives.
 * No inline scripts, no third-party requests.
 */
(function () {
  "use strict";

  var PAGE = 100; // rows shown at a time
  var CHUNK = 1500; // rows read and filtered between two yields to the browser
  var LIST_PARAMS = ["ao", "kind"];
  var TEXT_PARAMS = ["q", "type", "group", "month"];

  var explorer = document.querySelector("[data-hub-explorer]");
  if (!explorer || !window.VTQHub) return;
  var form = explorer.querySelector("form");
  var panel = explorer.querySelector("details.hub-filters");
  var filtersNow = explorer.querySelector("[data-filters-now]");
  var status = explorer.querySelector(".hub-explorer__status");
  var results = explorer.querySelector(".hub-explorer__results");
  var more = explorer.querySelector(".hub-explorer__more");
  var fallback = document.querySelector(".hub-explorer__fallback");
  var gapSection = explorer.querySelector(".hub-explorer__gaps");
  var shareLink = explorer.querySelector("[data-share-link]");
  var siteRoot = explorer.getAttribute("data-root") || "";
  var indexUrl = explorer.getAttribute("data-index");

  var index = null; // index.json
  var slices = new Map(); // month -> Promise of rows
  var generation = 0; // bumps on every new search; older runs stop
  var found = []; // matching rows of the current run
  var shown = 0; // how many of them are in the table
  var tbody = null;
  var finished = false;

  // The visitor's today in UK time, and "in 12 days" wording: shared with hub.js.
  var londonToday = window.VTQHub.londonToday;
  var countdown = window.VTQHub.countdown;
  var todayLabel = window.VTQHub.dateLabel;

  // --- State: the form <-> the address ------------------------------------------------

  function stateFromQuery(search) {
    var params = new URLSearchParams(search);
    var state = { upcoming: params.get("upcoming") !== "0" };
    LIST_PARAMS.forEach(function (name) {
      state[name] = [];
      params.getAll(name).forEach(function (value) {
        value.split(",").forEach(function (v) { if (v.trim()) state[name].push(v.trim()); });
      });
    });
    TEXT_PARAMS.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    return state;
  }

  function queryFromState(state) {
    // Parameters that are not the explorer's (the centre calendar's cal-*) are kept as they are.
    var parts = [];
    new URLSearchParams(location.search).forEach(function (value, name) {
      var ours = LIST_PARAMS.indexOf(name) >= 0 || TEXT_PARAMS.indexOf(name) >= 0 || name === "upcoming";
      if (!ours) parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
    });
    TEXT_PARAMS.forEach(function (name) {
      if (state[name]) parts.push(name + "=" + encodeURIComponent(state[name]));
    });
    LIST_PARAMS.forEach(function (name) {
      if (state[name].length) parts.push(name + "=" + state[name].map(encodeURIComponent).join(","));
    });
    // The latest-year view is what a bare /dates/ opens on: its address, to share, stays bare.
    if (!state.upcoming && !state.latestYear) parts.push("upcoming=0");
    return parts.length ? "?" + parts.join("&") : "";
  }

  function stateFromForm() {
    var state = { upcoming: form.elements.upcoming.checked };
    LIST_PARAMS.forEach(function (name) {
      state[name] = Array.prototype.filter
        .call(form.querySelectorAll("input[name='" + name + "']"), function (box) { return box.checked; })
        .map(function (box) { return box.value; });
    });
    TEXT_PARAMS.forEach(function (name) { state[name] = form.elements[name].value.trim(); });
    return state;
  }

  function showStateInForm(state) {
    form.elements.upcoming.checked = state.upcoming;
    LIST_PARAMS.forEach(function (name) {
      form.querySelectorAll("input[name='" + name + "']").forEach(function (box) {
        box.checked = state[name].indexOf(box.value) !== -1;
      });
      // The lists stay closed: their headings say what is chosen.
      var count = form.querySelector("[data-count-for='" + name + "']");
      var names = chosenNames(name, state[name]);
      count.textContent = names ? ": " + names : "";
    });
    TEXT_PARAMS.forEach(function (name) { form.elements[name].value = state[name]; });
    offerMonths(state);
    filtersNow.textContent = describe(state);
  }

  /* "OCR, Pearson" for the boxes ticked in one list (an organisation by its short name);
     the first three and how many more. */
  function chosenNames(name, values) {
    var labels = values.map(function (value) {
      var box = form.querySelector("input[name='" + name + "'][value='" + CSS.escape(value) + "']");
      if (!box) return value;
      return box.getAttribute("data-short") || box.parentNode.textContent.trim();
    });
    if (labels.length <= 3) return labels.join(", ");
    return labels.slice(0, 3).join(", ") + " and " + (labels.length - 3) + " more";
  }

  /* The filters in a line, on the panel's heading: what the list shows, even when closed. */
  function describe(state) {
    var bits = [];
    if (state.ao.length) bits.push(chosenNames("ao", state.ao));
    if (state.kind.length) bits.push(chosenNames("kind", state.kind));
    if (state.type) bits.push(state.type);
    if (state.group) bits.push("“" + state.group + "”");
    if (state.month) {
      var option = form.elements.month.querySelector("option[value='" + CSS.escape(state.month) + "']");
      bits.push(option ? option.textContent : state.month);
    }
    if (state.q) bits.push("“" + state.q + "”");
    bits.push(state.upcoming ? "upcoming" : "past and upcoming");
    return bits.join("; ");
  }

  /* With "Upcoming dates only" ticked, months that have ended offer nothing: they are
     greyed out, and choosing one unticks "Upcoming" (see onChange). */
  function offerMonths(state) {
    if (!index) return;
    var today = londonToday();
    var ended = {};
    index.months.forEach(function (m) { ended[m.month] = m.until < today; });
    form.elements.month.querySelectorAll("option[value]").forEach(function (option) {
      option.disabled = Boolean(option.value && state.upcoming && ended[option.value]);
    });
  }

  var shownSearch = null; // the address's query the list was last shown for

  function remember(state) {
    var url = location.pathname + queryFromState(state) + location.hash;
    history.replaceState(null, "", url);
    shareLink.href = url;
    shownSearch = location.search;
  }

  /* The address's #fragment as an id, or "" when it is not valid percent-encoding. */
  function hashId() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; }
  }

  // --- Data: index.json, then month slices as needed -----------------------------------

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  /* A row of the index (its values in the order of ``fields``) as a record, with its
     organisation, qualifications and type of date named, and the words the filter searches
     (``words``: the record's own beyond its title and names). */
  function named(fields, row, words) {
    var r = {};
    fields.forEach(function (field, i) { r[field] = row[i]; });
    var org = index.organisations[r.organisation];
    r.organisationId = org[0];
    r.organisationName = org[1];
    r.groupNames = r.groups.map(function (g) { return index.groups[g][0]; });
    r.types = r.groups.map(function (g) { return index.groups[g][1]; });
    r.kindLabel = index.kindLabels[r.kind] || r.kind;
    r.text = [r.title, org[1], org[2], r.kindLabel].concat(words(r), r.groupNames)
      .join(" ").toLowerCase();
    return r;
  }

  function record(row) {
    return named(index.fields, row, function (r) { return [r.when, r.description]; });
  }

  function slice(month) {
    if (!slices.has(month.month)) {
      var base = indexUrl.replace(/index\.json$/, "");
      // Rows stay as they came until a filter first reads them (see filterRows).
      slices.set(month.month, fetchJson(base + month.file).then(function (data) {
        return data.rows;
      }));
    }
    return slices.get(month.month);
  }

  // --- Filtering, a chunk at a time ----------------------------------------------------

  function matcher(state, today) {
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var orgs = state.ao, kinds = state.kind, group = state.group.toLowerCase();
    return function (r) {
      return (!state.upcoming || r.end >= today) &&
        (!orgs.length || orgs.indexOf(r.organisationId) !== -1) &&
        (!kinds.length || kinds.indexOf(r.kind) !== -1) &&
        (!state.type || r.types.indexOf(state.type) !== -1) &&
        (!group || r.groupNames.some(function (n) { return n.toLowerCase().indexOf(group) !== -1; })) &&
        words.every(function (w) { return r.text.indexOf(w) !== -1; });
    };
  }

  function monthsFor(state, today) {
    var months = index.months.filter(function (m) {
      return (!state.month || m.month === state.month) && (!state.upcoming || m.until >= today) &&
        (!state.latestYear || academicYear(m.month) === state.latestYear);
    });
    return state.latestYear ? months.reverse() : months;
  }

  /* "2025-26" for a month key such as "2026-03": academic years run September to August. */
  function academicYear(month) {
    var year = Number(month.slice(0, 4)), first = Number(month.slice(5, 7)) >= 9 ? year : year - 1;
    return first + "-" + String((first + 1) % 100).padStart(2, "0");
  }

  function yearLabel(academic) {
    return academic.slice(0, 4) + " to " + academic.slice(0, 2) + academic.slice(5);
  }

  /* When nothing on the hub is still to come, /dates/ opens on the latest academic year it
     holds, newest first, rather than on an empty table. */
  function openingState(state, today, explicit) {
    if (explicit || !index.months.length) return state;
    var upcoming = index.months.some(function (m) { return m.until >= today; });
    if (upcoming) return state;
    state.upcoming = false;
    state.latestYear = academicYear(index.months[index.months.length - 1].month);
    return state;
  }

  function nextTick() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }

  var current = null; // the state the list shows, "latest year" included

  function search(state) {
    var run = ++generation;
    current = state;
    var today = londonToday();
    var matches = matcher(state, today);
    var months = monthsFor(state, today);
    found = [];
    shown = 0;
    finished = false;
    startTable(state, today);
    say("Looking for dates…");
    explorer.setAttribute("aria-busy", "true");
    var started = performance.now();

    function scan(i) {
      if (i >= months.length) return Promise.resolve();
      if (i + 1 < months.length) slice(months[i + 1]); // fetch the next month meanwhile
      return slice(months[i]).then(function (rows) {
        return filterRows(state.latestYear ? rows.slice().reverse() : rows, 0);
      }).then(function () { return scan(i + 1); });

      function filterRows(rows, from) {
        if (run !== generation) return Promise.reject(new Error("superseded"));
        var to = Math.min(rows.length, from + CHUNK);
        for (var j = from; j < to; j++) {
          if (Array.isArray(rows[j])) rows[j] = record(rows[j]);
          if (matches(rows[j])) found.push(rows[j]);
        }
        if (shown < PAGE && found.length > shown) showRows(today, PAGE - shown);
        if (to >= rows.length) return Promise.resolve();
        return nextTick().then(function () { return filterRows(rows, to); });
      }
    }

    return scan(0).then(function () {
      finished = true;
      explorer.removeAttribute("aria-busy");
      explorer.setAttribute("data-filter-ms", String(Math.round(performance.now() - started)));
      if (shown < PAGE) showRows(today, PAGE - shown);
      else showRows(today, 0);
      results.hidden = !found.length; // no empty table: the status line says why
      showGaps(state, today);
      say(summary(state));
    }, function (error) {
      if (error && error.message === "superseded") return;
      explorer.removeAttribute("aria-busy");
      say("Sorry, the dates could not be loaded. The list of months below still works.");
      throw error;
    });
  }

  // --- Showing results -----------------------------------------------------------------

  function say(text) { status.textContent = text; }

  function number(n) { return n.toLocaleString("en-GB"); }

  function summary(state) {
    if (state.latestYear && found.length) {
      return "Nothing is coming up on the hub yet, so here are the " + number(found.length) +
        " key dates of " + yearLabel(state.latestYear) + ", the latest academic year on the hub, newest first" +
        (shown < found.length ? " (showing the first " + number(shown) + ")" : "") + ".";
    }
    var what = state.upcoming ? "upcoming key date" : "key date";
    var none = withoutDates(state);
    if (!found.length) {
      return (none || (state.upcoming
        ? "No upcoming key dates match these filters."
        : "No key dates match these filters.")) +
        (state.upcoming ? " Past dates are hidden: untick “Upcoming dates only” to include them." : "");
    }
    var text = number(found.length) + " " + what + (found.length === 1 ? "" : "s") + " found";
    if (shown < found.length) text += ", showing the first " + number(shown);
    return text + "." + (none ? " " + none : "");
  }

  /* "OCR has no upcoming key dates on the hub yet.": said once for the organisations
     chosen that the list cannot show, rather than leaving them out in silence. */
  function withoutDates(state) {
    var missing = state.ao.filter(function (id) {
      return !found.some(function (r) { return r.organisationId === id; });
    });
    if (!missing.length) return "";
    var names = chosenNames("ao", missing);
    var what = state.upcoming ? "upcoming key dates" : "key dates";
    var verb = missing.length === 1 ? " has no " : " have no ";
    return names + verb + what + (state.kind.length || state.type || state.group || state.month || state.q
      ? " that match these filters" : "") + " on the hub yet.";
  }

  function caption(state) {
    var bits = [];
    if (state.ao.length) {
      bits.push(state.ao.map(function (id) {
        var org = index.organisations.filter(function (o) { return o[0] === id; })[0];
        return org ? org[2] || org[1] : id;
      }).join(", "));
    }
    if (state.kind.length) bits.push(state.kind.map(function (k) { return index.kindLabels[k] || k; }).join(", "));
    if (state.type) bits.push(state.type);
    if (state.group) bits.push("“" + state.group + "”");
    if (state.month) {
      var m = index.months.filter(function (x) { return x.month === state.month; })[0];
      bits.push(m ? m.label : state.month);
    }
    if (state.q) bits.push("matching “" + state.q + "”");
    var head = state.latestYear ? "Key dates of " + yearLabel(state.latestYear) + ", newest first"
      : state.upcoming ? "Upcoming key dates" : "Key dates, past and upcoming";
    return head + (bits.length ? ": " + bits.join("; ") : "");
  }

  function el(name, attrs, children) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function startTable(state, today) {
    results.textContent = "";
    results.hidden = false;
    var headings = ["Date", "What", "Organisation", "Type of date", "Qualifications", "Status"];
    tbody = el("tbody");
    var title = caption(state) + " (today is " + todayLabel(today) + ")";
    results.appendChild(el("div", { "class": "hub-table-scroll", role: "region", "aria-label": title, tabindex: "0" }, [
      el("table", { "class": "hub-dates hub-dates--explorer" }, [
        el("caption", {}, [title]),
        el("thead", {}, [el("tr", {}, headings.map(function (h) { return el("th", { scope: "col" }, [h]); }))]),
        tbody,
      ]),
    ]));
    more.hidden = true;
    gapSection.hidden = true;
  }

  function row(r, today) {
    var isToday = r.start <= today && today <= r.end;
    var organisation = r.organisationId === "national"
      ? r.organisationName
      : el("a", { href: siteRoot + r.url.split("#")[0] }, [r.organisationName]);
    var title = el("th", { scope: "row", "class": "hub-date__title" }, [
      el("a", { "class": "hub-anchor", href: "#" + r.uid, "aria-label": "Link to " + r.title }, ["#"]),
      " " + r.title,
      r.description ? el("br") : null,
      r.description ? el("span", { "class": "hub-date__description" }, [r.description]) : null,
      " ",
      el("a", { "class": "hub-source", href: r.source, rel: "noopener noreferrer", "data-domain": domainOf(r.source) }, [
        "Source", el("span", { "class": "md-visually-hidden" }, [" for " + r.title]),
      ]),
    ]);
    return el("tr", {
      id: r.uid,
      "class": "hub-date" + (isToday ? " hub-date--today" : "") + (r.end < today ? " hub-date--past" : ""),
      "data-start": r.start, "data-end": r.end, "data-kind": r.kind, "data-organisation": r.organisationId,
    }, [
      el("td", { "class": "hub-date__when" }, whenCell(r, today, isToday)),
      title,
      el("td", { "data-label": "Organisation" }, [organisation]),
      el("td", { "data-label": "Type of date" }, [r.kindLabel]),
      el("td", { "data-label": "Qualifications" }, [r.groupNames.length ? r.groupNames.join(", ") : "All"]),
      el("td", { "data-label": "Status" }, [el("span", { "class": "hub-status hub-status--" + r.status }, [index.statusLabels[r.status] || r.status])]),
    ]);
  }

  function domainOf(url) {
    try { return new URL(url).hostname.replace(/^www\./, ""); } catch (e) { return url; }
  }

  function whenCell(r, today, isToday) {
    var left = countdown(r.start, r.end, today); // "" once the date has passed
    if (!left) return [r.when];
    return [r.when, el("br"), el("span", { "class": "hub-countdown" + (isToday ? " hub-countdown--today" : "") }, [left])];
  }

  /* This year's dates not on the hub yet that match the filters, each with the same date in
     the years before (said as past, linked to where it is). Only beside upcoming dates, in no
     one month: a missing date has no day to sort it by. */
  var GAPS_SHOWN = 10;

  function gapRecord(row) {
    var r = named(index.gaps.fields, row, function () { return []; });
    r.end = "9999-12-31"; // still to come, whatever today is
    return r;
  }

  function showGaps(state, today) {
    var gaps = index.gaps && index.gaps.rows.length && state.upcoming && !state.month && !state.latestYear
      ? index.gaps.rows.map(gapRecord).filter(matcher(state, today)) : [];
    gapSection.hidden = !gaps.length;
    var list = gapSection.querySelector("ul");
    list.textContent = "";
    gaps.slice(0, GAPS_SHOWN).forEach(function (g) {
      var earlier = [];
      g.earlier.forEach(function (e, i) {
        earlier.push(i ? "; in " + e[0] + " it was " : "in " + e[0] + " it was ");
        earlier.push(el("a", { href: siteRoot + e[2] }, [e[1]]));
      });
      list.appendChild(el("li", {}, [
        el("strong", {}, [g.title]), " (" + g.organisationName + "): not on the hub yet; "
      ].concat(earlier, ["."])));
    });
    var more = gapSection.querySelector(".hub-explorer__gap-more");
    more.textContent = "";
    more.appendChild(el("a", { href: siteRoot + "dates/this-year/" }, [
      gaps.length > GAPS_SHOWN
        ? "See all " + number(gaps.length) + " on " + index.gaps.label + " at a glance"
        : "See " + index.gaps.label + " at a glance, organisation by organisation",
    ]));
  }

  function showRows(today, count) {
    var until = Math.min(found.length, shown + count);
    var batch = document.createDocumentFragment();
    for (; shown < until; shown++) batch.appendChild(row(found[shown], today));
    tbody.appendChild(batch);
    more.hidden = !(finished && shown < found.length);
    more.textContent = "Show " + number(Math.min(PAGE, found.length - shown)) + " more dates";
  }

  // --- Wiring ----------------------------------------------------------------------------

  function apply(state) {
    showStateInForm(state);
    remember(state);
    return search(state).catch(function () {});
  }

  var typing = 0;
  function onChange(event) {
    var target = event && event.target;
    if (target === form.elements.month && target.value) {
      var month = index.months.filter(function (m) { return m.month === target.value; })[0];
      if (month && month.until < londonToday()) form.elements.upcoming.checked = false;
    }
    if (target === form.elements.upcoming && target.checked && form.elements.month.value) {
      var chosen = index.months.filter(function (m) { return m.month === form.elements.month.value; })[0];
      if (chosen && chosen.until < londonToday()) form.elements.month.value = "";
    }
    var state = stateFromForm();
    showStateInForm(state);
    remember(state);
    clearTimeout(typing);
    var wait = event && event.target && event.target.type === "search" ? 250 : 0;
    typing = setTimeout(function () { search(state).catch(function () {}); }, wait);
  }

  function start(data) {
    index = data;
    index.kindLabels = {};
    index.kinds.forEach(function (k) { index.kindLabels[k[0]] = k[1]; });
    index.statusLabels = {};
    index.statuses.forEach(function (k) { index.statusLabels[k[0]] = k[1]; });
    // Each group name once (20,000 groups at hub scale: a lookup, not a search, per name).
    var names = document.createDocumentFragment(), seen = Object.create(null);
    index.groups.forEach(function (g) {
      if (seen[g[0]]) return;
      seen[g[0]] = true;
      names.appendChild(el("option", { value: g[0] }));
    });
    form.querySelector("#hub-group-names").appendChild(names);

    var state = openingState(stateFromQuery(location.search), londonToday(), location.search !== "");
    var target = location.hash && document.getElementById(hashId());
    var linkedRow = target && target.matches("tr.hub-date") ? target : null;
    if (linkedRow && !location.search) {
      // A link to one date: show its month, past dates included, and keep the anchor.
      state.upcoming = false;
      state.latestYear = "";
      state.month = linkedRow.getAttribute("data-start").slice(0, 7);
    }
    // Opened from a link or a reload with filters on a phone: the dates come first, the
    // filters fold into their heading, which says what they are.
    if (location.search && window.matchMedia("(max-width: 59.9375em)").matches) panel.open = false;
    // The explorer now shows the dates: drop the plain list (its rows share the ids).
    document.querySelectorAll(".hub-full-list > :not(#months):not(.hub-months)").forEach(function (node) {
      node.remove();
    });
    form.addEventListener("change", onChange);
    form.addEventListener("input", function (event) { if (event.target.type === "search" || event.target.type === "text") onChange(event); });
    form.addEventListener("submit", function (event) { event.preventDefault(); onChange(); });
    form.addEventListener("reset", function () { setTimeout(onChange, 0); });
    more.addEventListener("click", function () { showRows(londonToday(), PAGE); say(summary(current || stateFromForm())); });
    shareLink.addEventListener("click", function (event) {
      if (!navigator.clipboard) return;
      event.preventDefault();
      navigator.clipboard.writeText(location.href).then(function () {
        say("Link to these filters copied: " + location.href);
      }, function () { location.href = shareLink.href; });
    });
    window.addEventListener("popstate", function () {
      if (location.search === shownSearch) return; // only the #fragment changed: keep the list
      apply(openingState(stateFromQuery(location.search), londonToday(), location.search !== ""));
    });
    // A date's id starts with its organisation's ("ncfe-…", "national-…").
    var wanted = location.hash && !target && !location.search && index.organisations.some(function (o) {
      return hashId().indexOf(o[0] + "-") === 0;
    }) ? hashId() : "";
    (wanted ? monthOf(wanted) : Promise.resolve("")).then(function (month) {
      if (month) {
        // A link to a date of an earlier year, whose row the plain list no longer holds.
        state.upcoming = false;
        state.latestYear = "";
        state.month = month;
      }
      return apply(state);
    }).then(function () {
      var again = location.hash && document.getElementById(hashId());
      if (again) again.scrollIntoView();
    });
  }

  /* The month of the date whose id is ``uid``, looked for in the months' slices, fetched
     together; "" when no slice holds it. */
  function monthOf(uid) {
    var at = index.fields.indexOf("uid");
    return Promise.all(index.months.map(function (month) {
      return slice(month).then(function (rows) {
        return rows.some(function (row) { return (Array.isArray(row) ? row[at] : row.uid) === uid; })
          ? month.month : "";
      });
    })).then(function (found) {
      return found.filter(Boolean)[0] || "";
    }).catch(function () { return ""; });
  }

  function withoutFilters(reason) {
    explorer.hidden = true;
    fallback.textContent = reason;
    fallback.hidden = false;
  }

  if (location.protocol === "file:") {
    withoutFilters("The filters need the site to be opened from a web address; opened from files on a computer, browsers block the data they read. The full list below still works.");
    return;
  }
  say("Loading the dates…");
  fetchJson(indexUrl).then(start, function () {
    withoutFilters("The filters could not load their data, so the full list is shown below instead.");
  });
})();
