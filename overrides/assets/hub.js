/* VTQ Hub: small enhancements on every page.
 *
 * - Countdowns: every date row (tr.hub-date) still to come gets "in 12 days", "tomorrow"
 *   or "today", counted from the visitor's own clock in UK time (the page's build date
 *   goes stale); today's rows are marked in words, not only colour.
 *   A date that has passed gets no count: the date says enough.
 * - Copy links: the "#" link beside each date and qualification group copies the full
 *   address of that row as well as going to it, and says so.
 * - Printing: each source on the page gets a number, and the full addresses are listed at
 *   the end of the printout (the screen shows "Source" links; paper cannot follow them).
 * - Tables wider than their box say so: "Scroll sideways to see every column".
 * - A link to a collapsed section (#for-awarding-organisations) opens it.
 * - The qualification finder ([data-finder]): as the reader types a name families use
 *   (BTEC Nationals, Tech Award, T Level, V Cert, NCFE…), only the answer cards it names
 *   stay shown, and a status line says how many; ?q= in the address does the same, so a
 *   search can be linked. On the home page an empty finder shows the qualifications the
 *   national calendar features (data-featured), drawn so by the page itself, and says how
 *   to find the rest. Without JavaScript no-script.css hides the finder and lists every card, A to Z.
 * - Escape closes the list or card the focus is in, else the phone's menu; a report by
 *   e-mail names the page with the date the reader followed.
 * Exposes window.VTQHub (londonToday, countdown, dateLabel; words, matching and asked, the
 * finder's way of matching names) for explorer.js and search.js.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  /* Today's date in UK time as YYYY-MM-DD, from the visitor's clock. */
  function londonToday() {
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
    }).formatToParts(new Date(Date.now()));
    var get = function (type) {
      return parts.filter(function (p) { return p.type === type; })[0].value;
    };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  function dayNumber(iso) {
    var bits = iso.split("-").map(Number);
    return Date.UTC(bits[0], bits[1] - 1, bits[2]) / 86400000;
  }

  function days(n) { return n + (n === 1 ? " day" : " days"); }

  /* "in 12 days", "tomorrow", "today", "on now: ends in 3 days"; "" once it has passed. */
  function countdown(start, end, today) {
    var t = dayNumber(today), s = dayNumber(start), e = dayNumber(end || start);
    if (t < s) return s - t === 1 ? "tomorrow" : "in " + days(s - t);
    if (t <= e) {
      if (s === e) return "today";
      return t === e ? "on now: ends today" : "on now: ends in " + days(e - t);
    }
    return "";
  }

  /* "23 November 2026" */
  function dateLabel(iso) {
    var bits = iso.split("-").map(Number);
    return bits[2] + " " + MONTHS[bits[1] - 1] + " " + bits[0];
  }

  window.VTQHub = {
    londonToday: londonToday, countdown: countdown, dateLabel: dateLabel, words: words, matching: matching,
    asked: asked,
  };

  function countdownSpan(start, end, today) {
    var span = document.createElement("span");
    var isToday = start <= today && today <= end;
    span.className = "hub-countdown" + (isToday ? " hub-countdown--today" : "");
    span.textContent = countdown(start, end, today);
    return span;
  }

  function addCountdowns() {
    var today = londonToday();
    document.querySelectorAll("tr.hub-date[data-start]").forEach(function (row) {
      var start = row.getAttribute("data-start"), end = row.getAttribute("data-end") || start;
      var cell = row.querySelector(".hub-date__when");
      if (!cell || cell.querySelector(".hub-countdown")) return;
      if (end < today) { row.classList.add("hub-date--past"); return; }
      cell.appendChild(document.createElement("br"));
      cell.appendChild(countdownSpan(start, end, today));
      if (start <= today) row.classList.add("hub-date--today");
    });
  }

  var announcer = null;
  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 50);
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { announcer.textContent = ""; }, 6000);
  }

  function copyLinks() {
    announcer = document.createElement("div");
    announcer.className = "hub-toast";
    announcer.setAttribute("role", "status");
    document.body.appendChild(announcer);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.hub-anchor");
      if (!link || !navigator.clipboard) return;
      var address = location.href.split("#")[0] + link.getAttribute("href");
      navigator.clipboard.writeText(address).then(function () {
        announce("Link copied: " + address);
      }, function () { /* the link still goes to the row */ });
    });
  }

  /* Printing: number the sources shown, and list their full addresses at the end. */
  function printNotes() {
    var content = document.querySelector(".md-content");
    if (!content) return;
    // A printed page says where it came from: the site, the page's address with the
    // filters chosen on it, and the day it was printed.
    var header = document.createElement("p");
    header.className = "hub-print-header";
    header.textContent = "VTQ Hub: " + location.href + " (printed on " + dateLabel(londonToday()) + ")";
    content.insertBefore(header, content.firstChild);
    var numbers = new Map();
    var list = document.createElement("ol");
    content.querySelectorAll("a.hub-source").forEach(function (link) {
      if (!link.getClientRects().length) return; // not on the screen, so not on paper
      if (!numbers.has(link.href)) {
        numbers.set(link.href, numbers.size + 1);
        var item = document.createElement("li");
        item.textContent = link.href;
        list.appendChild(item);
      }
      link.setAttribute("data-note", String(numbers.get(link.href)));
    });
    if (!numbers.size) return;
    var notes = document.createElement("section");
    notes.className = "hub-print-notes";
    var heading = document.createElement("h2");
    heading.textContent = "Sources";
    notes.appendChild(heading);
    notes.appendChild(list);
    content.appendChild(notes);
  }

  function clearPrintNotes() {
    document.querySelectorAll(".hub-print-notes, .hub-print-header").forEach(function (n) { n.remove(); });
    document.querySelectorAll("a.hub-source[data-note]").forEach(function (a) { a.removeAttribute("data-note"); });
  }

  /* A table wider than its scrolling box says so above it. */
  function scrollHints() {
    document.querySelectorAll(".hub-table-scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      var has = hint && hint.classList.contains("hub-scroll-hint");
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !has) {
        var p = document.createElement("p");
        p.className = "hub-scroll-hint";
        p.textContent = "Scroll sideways to see every column.";
        box.parentNode.insertBefore(p, box);
      } else if (!wide && has) hint.remove();
    });
  }

  /* A link to a section inside a collapsed <details> ("Keep your entry right") opens it. */
  function openTarget() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; } // "#50%"
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }

  /* Names as the finder compares them: lower case, words of letters and digits. */
  function words(text) {
    return " " + text.toLowerCase().replace(/[^a-z0-9/]+/g, " ").trim() + " ";
  }

  /* The cards a query names: those with a name holding the query's words in a row (each
     word the start of a name's word: "t level", "v cert", "level 3 btec"); failing that,
     those with a name holding every word somewhere. */
  function matching(cards, query) {
    var wanted = words(query).trim();
    if (!wanted) return null;
    var phrase = cards.filter(function (card) {
      return card.names.some(function (name) { return name.indexOf(" " + wanted) >= 0; });
    });
    if (phrase.length) return phrase;
    var tokens = wanted.split(" ");
    return cards.filter(function (card) {
      return tokens.every(function (token) { return named(card, token); });
    });
  }

  function named(card, token) {
    return card.names.some(function (name) { return name.indexOf(" " + token) >= 0; });
  }

  /* The words a question puts around a name ("when do", "results come out", "my son did",
     a year, a lone letter other than T Level's and V Cert's) set aside: "when do BTEC
     results come out?" asks for "btec", "my son did a level 3 BTEC" for "level 3 btec". */
  var QUESTION = /\b(when|what|where|how|do|does|did|will|are|is|was|the|for|in|of|on|to|i|we|my|our|son|daughter|child|get|got|results?|come|comes|out|day|days|date|dates|released?|published|20\d\d)\b/g;
  function asked(query) {
    return words(query.toLowerCase().replace(QUESTION, " ").replace(/\b(?![tv]\b)[a-z]\b/g, " ")).trim();
  }

  /* A levels and GCSEs, named as such ("a level results", not "a level 3 BTEC"): general
     qualifications, which the hub does not hold. */
  var GENERAL = /\b(a[ -]?levels?|as[ -]levels?|gcses?)\b(?!\s*\d)/i;

  /* Words too common in qualifications' names to find one by alone. */
  var COMMON = ["and", "for", "the", "with", "level", "levels", "certificate", "certificates",
    "diploma", "diplomas", "award", "awards", "extended", "subsidiary", "qualification",
    "qualifications", "exam", "exams", "course", "courses"];

  /* What the finder shows for a query: the cards the query names, or failing that the
     cards its words name without the question's; failing both, those naming most of its
     distinctive words ("grade 5 piano": the graded exams), marked "some". Null for an
     empty query. */
  function found(cards, query) {
    if (GENERAL.test(query)) return { cards: [], general: true };
    var whole = matching(cards, query);
    if (whole === null || whole.length) return whole && { cards: whole, some: false };
    var plain = asked(query);
    var plainly = plain ? matching(cards, plain) : [];
    if (plainly && plainly.length) return { cards: plainly, some: false };
    var tokens = (plain || words(query).trim()).split(" ").filter(function (token) {
      return token.length > 2 && /[a-z]/.test(token) && COMMON.indexOf(token) < 0;
    });
    var best = 0;
    var scored = cards.map(function (card) {
      var score = tokens.filter(function (token) { return named(card, token); }).length;
      best = Math.max(best, score);
      return score;
    });
    return { cards: cards.filter(function (card, i) { return best && scored[i] === best; }), some: true };
  }

  function finder(box) {
    var list = document.getElementById(box.querySelector("input").getAttribute("aria-controls"));
    if (!list) return;
    var input = box.querySelector("input");
    var status = box.querySelector("[data-finder-status]");
    var total = Number(box.getAttribute("data-count")) || 0;
    var featuredOnly = box.hasAttribute("data-featured-only");
    var partial = box.hasAttribute("data-partial"); // a big hub: only some cards are here
    var resultsSaid = box.getAttribute("data-results-said") || ""; // the latest results days
    var opening = status.textContent; // what the page says of its first view
    var cards = Array.prototype.slice.call(list.querySelectorAll(".hub-card")).map(function (el) {
      return { el: el, names: el.getAttribute("data-names").split("|").map(words),
               featured: el.hasAttribute("data-featured") };
    });
    var showAll = false;

    /* The featured view is the page's own first view (its cards are chosen by CSS, so
       nothing moves when this runs); any other view hides cards one by one. */
    function show(shown, featuredView) {
      list.toggleAttribute("data-featured-view", Boolean(featuredView));
      cards.forEach(function (card) { card.el.hidden = !featuredView && shown.indexOf(card) < 0; });
    }

    var letters = list.previousElementSibling && list.previousElementSibling.matches(".hub-letters")
      ? list.previousElementSibling : null;

    function update() {
      var query = input.value;
      var result = found(cards, query);
      if (letters) letters.hidden = result !== null;  // while filtering, the A to Z is in the way
      if (result === null) {
        var featured = cards.filter(function (card) { return card.featured; });
        if (featuredOnly && featured.length && !showAll) {
          show(featured, true);
          status.textContent = opening; // as the page was drawn
        } else {
          show(cards);
          status.textContent = "";
        }
        return;
      }
      show(result.cards);
      var count = result.cards.length;
      status.textContent = result.general
        ? (resultsSaid ? resultsSaid + " " : "") + "A levels and GCSEs themselves are not " +
          "on the hub: it covers vocational and technical qualifications."
        : count && result.some
        ? "No qualification " + (partial ? "shown here" : "on the hub") + " matches every word of “" +
          query.trim() + "”. " +
          (count === 1 ? "This one matches" : "These " + count + " match") + " some of them."
        : count
        ? count + (count === 1 ? " qualification matches" : " qualifications match") +
          " “" + query.trim() + "”."
        : partial
          ? "None of the qualifications shown here matches “" + query.trim() + "”: search the " +
            "hub for it, or open its awarding organisation's page below."
          : "No qualification on the hub matches “" + query.trim() + "”. Try another name, " +
            "or ask the school or college that entered the student.";
    }

    /* A link to a card the finder has hidden (the A to Z's letters, an address ending
       #results-…) shows every card first, so the link always lands. */
    function reveal() {
      var id = location.hash.slice(1);
      var card = id && document.getElementById(id);
      if (card && card.classList.contains("hub-card") && !card.getClientRects().length) {
        input.value = "";
        showAll = true;
        update();
        card.scrollIntoView();
      }
    }

    var query = new URLSearchParams(location.search).get("q");
    if (query) input.value = query;
    input.addEventListener("input", function () {
      update();
      var url = new URL(location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value.trim());
      else url.searchParams.delete("q");
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#results-']");
      if (!link) return;
      var card = document.getElementById(link.getAttribute("href").slice(1));
      if (card && !card.getClientRects().length) { input.value = ""; showAll = true; update(); }
    });
    window.addEventListener("hashchange", reveal);
    update();
    reveal();
  }

  /* Escape closes what is open: the list of choices or panel the focus is in (focus back on
     its heading), else the phone's menu (focus back on the button that opened it). */
  function closeOnEscape(event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var open = document.activeElement && document.activeElement.closest("details[open]");
    if (open && open.closest(".hub-explorer, .hub-card")) {
      open.open = false;
      open.querySelector("summary").focus();
      event.preventDefault();
      return;
    }
    var drawer = document.getElementById("__drawer");
    if (drawer && drawer.checked) {
      drawer.checked = false;
      drawer.dispatchEvent(new Event("change"));
      var button = document.querySelector("label[for='__drawer']");
      if (button) button.focus();
      event.preventDefault();
    }
  }

  /* A report by e-mail names the page as the reader sees it, the date they followed
     (#its-id) included. */
  function reportWithPlace(event) {
    var link = event.target.closest && event.target.closest("a[data-report-link]");
    if (!link || !location.hash) return;
    var parts = link.href.split("?");
    var params = new URLSearchParams(parts[1] || "");
    var body = (params.get("body") || "").replace(/^Page: [^\n]*\n\n/, "");
    var query = "subject=" + encodeURIComponent(params.get("subject") || "") +
      "&body=" + encodeURIComponent("Page: " + location.href + "\n\n" + body);
    link.href = parts[0] + "?" + query;
  }

  function ready() {
    document.addEventListener("keydown", closeOnEscape);
    document.addEventListener("click", reportWithPlace);
    Array.prototype.forEach.call(document.querySelectorAll("[data-finder]"), finder);
    openTarget();
    window.addEventListener("hashchange", openTarget);
    addCountdowns();
    copyLinks();
    scrollHints();
    window.addEventListener("resize", function () {
      clearTimeout(scrollHints.timer);
      scrollHints.timer = setTimeout(scrollHints, 200);
    });
    window.addEventListener("beforeprint", function () { clearPrintNotes(); printNotes(); });
    window.addEventListener("afterprint", clearPrintNotes);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
