/* VTQ Hub: small enhancements on every page.
 *
 * - Countdowns: every date row (tr.hub-date) and every <time data-countdown> gets "in 12
 *   days", "today" or "3 days ago", counted from the visitor's own clock in UK time (the
 *   page's build date goes stale); today's rows are marked in words, not only colour.
 * - Copy links: the "#" link beside each date and qualification group copies the full
 *   address of that row as well as going to it, and says so.
 * Exposes window.VTQHub (londonToday, countdown, dateLabel) for explorer.js.
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

  /* "in 12 days", "tomorrow", "today", "on now: ends in 3 days", "yesterday", "2 days ago". */
  function countdown(start, end, today) {
    var t = dayNumber(today), s = dayNumber(start), e = dayNumber(end || start);
    if (t < s) return s - t === 1 ? "tomorrow" : "in " + days(s - t);
    if (t <= e) {
      if (s === e) return "today";
      return t === e ? "on now: ends today" : "on now: ends in " + days(e - t);
    }
    return t - e === 1 ? "yesterday" : days(t - e) + " ago";
  }

  /* "23 November 2026" */
  function dateLabel(iso) {
    var bits = iso.split("-").map(Number);
    return bits[2] + " " + MONTHS[bits[1] - 1] + " " + bits[0];
  }

  window.VTQHub = { londonToday: londonToday, countdown: countdown, dateLabel: dateLabel };

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
      cell.appendChild(document.createElement("br"));
      cell.appendChild(countdownSpan(start, end, today));
      if (start <= today && today <= end) row.classList.add("hub-date--today");
      if (end < today) row.classList.add("hub-date--past");
    });
    document.querySelectorAll("time[data-countdown]").forEach(function (time) {
      if (time.parentNode.querySelector(".hub-countdown")) return;
      var when = time.getAttribute("datetime");
      var span = countdownSpan(when, when, today);
      time.parentNode.insertBefore(document.createTextNode(" "), time.nextSibling);
      time.parentNode.insertBefore(span, time.nextSibling.nextSibling);
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

  function ready() {
    addCountdowns();
    copyLinks();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
