/* VTQ Hub: calendar links and "make a calendar for your centre".
 *
 * 1. Every link marked data-webcal becomes a webcal:// link to the same file, so a click
 *    opens the calendar app's "subscribe" dialog, under whatever address the site is served.
 *    Each calendar (.hub-calendar) shows its https address with a Copy button, and links that
 *    add it to Google Calendar and Outlook, made from the page's own address.
 * 2. On the key dates page, the section #my-centre offers a form, loaded when asked for:
 *    organisations, qualification groups and kinds of date. The choice lives in the address
 *    (?cal-ao=…&cal-group=…&cal-kind=…), so the link reproduces it. "Download" builds one
 *    .ics file in the browser by picking events out of /calendars/all.ics: the events are
 *    the server's own (same UIDs, SEQUENCE, time zone), only fewer of them. That file is a
 *    copy; beside it, each organisation and qualification ticked has its own subscription,
 *    which follows changes.
 *    Sections left empty include everything; national dates pass the qualification filter.
 *
 * No server and no third-party code. Without JavaScript the section stays hidden and the
 * prebuilt calendars and downloads above it are there instead.
 */
(function () {
  "use strict";

  var PARAMS = { ao: "cal-ao", group: "cal-group", kind: "cal-kind" };
  var FILE_NAME = "vtq-hub-my-centre.ics";
  var CALENDAR_NAME = "VTQ Hub: my centre";

  function webcalLinks() {
    if (!/^https?:$/.test(window.location.protocol)) return;
    document.querySelectorAll("a[data-webcal]").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      link.href = "webcal://" + url.host + url.pathname;
    });
  }

  /* Google Calendar and Outlook add a calendar "from URL" given its address. */
  function googleLink(address) {
    return "https://calendar.google.com/calendar/render?cid=" +
      encodeURIComponent(address.replace(/^https?:/, "webcal:"));
  }

  function outlookLink(address, name) {
    return "https://outlook.live.com/calendar/0/addfromweb?url=" + encodeURIComponent(address) +
      "&name=" + encodeURIComponent(name);
  }

  var toast = null;
  function say(text) {
    if (!toast) {
      toast = element("div", { class: "hub-toast", role: "status" });
      document.body.appendChild(toast);
    }
    toast.textContent = text;
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { toast.textContent = ""; }, 6000);
  }

  function calendarAddresses() {
    if (!/^https?:$/.test(window.location.protocol)) return;
    document.querySelectorAll(".hub-calendar[data-calendar]").forEach(function (box) {
      var address = new URL(box.getAttribute("data-calendar"), window.location.href).href;
      var name = box.getAttribute("data-name") || "VTQ Hub";
      var google = box.querySelector("a[data-google]");
      var outlook = box.querySelector("a[data-outlook]");
      google.href = googleLink(address);
      outlook.href = outlookLink(address, name);
      google.hidden = outlook.hidden = false;
      google.parentNode.hidden = outlook.parentNode.hidden = false;
      var shown = box.querySelector("[data-address]");
      shown.textContent = "";
      address.split("/").forEach(function (part, i) { // wraps after a slash, not mid-word
        if (i) shown.append("/", document.createElement("wbr"));
        shown.append(part);
      });
      box.querySelector(".hub-calendar__address").hidden = false;
      var copy = box.querySelector("[data-copy]");
      if (!navigator.clipboard) return;
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(address).then(function () {
          say("Calendar address copied: " + address);
        }, function () { say("Copying did not work: select the address and copy it."); });
      });
    });
  }

  /* Subscriptions for what the centre ticked, never two holding the same date: each
     organisation's calendar (its own dates); each qualification's own dates (calendars/own/:
     without the national dates, which every qualification's calendar in calendars/groups/
     holds) unless its organisation is ticked, or unless two qualifications ticked share a
     date (one for all of an organisation's qualifications), when the organisation's
     calendar stands for them; and the national calendar once when the choice includes it
     (ticked, or no organisation chosen), as the download does. */
  function subscriptions(choice, organisations, root, dates) {
    var items = [];
    var byId = {};
    organisations.forEach(function (o) { byId[o.id] = o; });
    var groups = choice.group.filter(function (value) {
      return choice.ao.indexOf(value.split("/")[0]) < 0;
    });
    if (groups.length && !choice.ao.length) {
      items.push(["National calendar", new URL("calendars/national.ics", root)]);
    }
    choice.ao.forEach(function (id) {
      var path = id === "national" ? "calendars/national.ics" : "calendars/organisations/" + id + ".ics";
      var name = id === "national" ? "National calendar" : (byId[id] ? byId[id].name : id);
      items.push([name, new URL(path, root)]);
    });
    var shared = sharingOrganisations(groups, dates);
    shared.forEach(function (id) {
      var name = (byId[id] ? byId[id].name : id) + " (all its qualifications: those you ticked share dates)";
      items.push([name, new URL("calendars/organisations/" + id + ".ics", root)]);
    });
    groups.forEach(function (value) {
      var parts = value.split("/"), org = byId[parts[0]];
      if (shared.indexOf(parts[0]) >= 0) return;
      var group = org && org.qualification_groups.filter(function (g) { return g.id === parts[1]; })[0];
      var name = group ? group.name + " (" + (org.acronym || org.name) + ")" : value;
      items.push([name, new URL("calendars/own/" + parts[0] + "/" + parts[1] + ".ics", root)]);
    });
    return items.map(function (item) {
      var url = item[1];
      return element("li", {}, [
        element("a", { href: "webcal://" + url.host + url.pathname, text: "Subscribe to " + item[0] }),
        document.createTextNode(" ("),
        element("a", { href: googleLink(url.href), rel: "noopener noreferrer", text: "Google Calendar" }),
        document.createTextNode(", "),
        element("a", { href: outlookLink(url.href, "VTQ Hub: " + item[0]), rel: "noopener noreferrer", text: "Outlook" }),
        document.createTextNode(")"),
      ]);
    });
  }

  /* The organisations two of whose ticked qualifications share a date (one for all its
     qualifications): subscribing to both would show that date twice. */
  function sharingOrganisations(groups, dates) {
    var shared = [];
    dates.forEach(function (d) {
      var ticked = d.qualification_groups.filter(function (id) {
        return groups.indexOf(d.organisation_id + "/" + id) >= 0;
      });
      if (ticked.length > 1 && shared.indexOf(d.organisation_id) < 0) shared.push(d.organisation_id);
    });
    return shared;
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function checkbox(name, value, label, checked) {
    var id = name + "-" + value.replace(/[^a-z0-9-]/g, "-");
    var input = element("input", { type: "checkbox", name: name, value: value, id: id });
    input.checked = checked;
    return element("div", { class: "hub-my-calendar__choice" }, [
      input, element("label", { for: id, text: " " + label })
    ]);
  }

  function fieldset(legend, hint, choices) {
    var children = [element("legend", { text: legend })];
    if (hint) children.push(element("p", { class: "hub-hint", text: hint }));
    return element("fieldset", {}, children.concat(choices));
  }

  /* The VEVENT blocks of an .ics text, by UID; and everything before the first one. */
  function splitCalendar(text) {
    var start = text.indexOf("BEGIN:VEVENT");
    var head = start < 0 ? text.replace(/END:VCALENDAR\r\n$/, "") : text.slice(0, start);
    var events = {};
    var pattern = /BEGIN:VEVENT\r\n[\s\S]*?END:VEVENT\r\n/g;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var unfolded = match[0].replace(/\r\n[ \t]/g, "");
      var uid = /\r\nUID:([^\r\n]*)/.exec(unfolded);
      if (uid) events[uid[1]] = match[0];
    }
    return { head: head, events: events };
  }

  function icsText(calendar, uids) {
    var head = calendar.head
      .replace(/\r\nX-WR-CALNAME:[^\r\n]*(\r\n[ \t][^\r\n]*)*/, "\r\nX-WR-CALNAME:" + CALENDAR_NAME)
      .replace(/\r\nX-WR-CALDESC:[^\r\n]*(\r\n[ \t][^\r\n]*)*/,
        "\r\nX-WR-CALDESC:" + CALENDAR_NAME + "\\, from the VTQ Hub. Times are UK time.");
    return head + uids.map(function (uid) { return calendar.events[uid]; }).join("") +
      "END:VCALENDAR\r\n";
  }

  function chosen(form, name) {
    return Array.prototype.map.call(
      form.querySelectorAll('input[name="' + name + '"]:checked'),
      function (input) { return input.value; });
  }

  function matches(date, choice) {
    var ao = !choice.ao.length || choice.ao.indexOf(date.organisation_id) >= 0;
    var kind = !choice.kind.length || choice.kind.indexOf(date.kind) >= 0;
    var group = !choice.group.length || date.organisation_id === "national" ||
      date.qualification_groups.some(function (id) {
        return choice.group.indexOf(date.organisation_id + "/" + id) >= 0;
      });
    return ao && kind && group;
  }

  function buildForm(section, organisations, dates, calendar) {
    var query = new URLSearchParams(window.location.search);
    var wanted = {
      ao: query.getAll(PARAMS.ao), group: query.getAll(PARAMS.group), kind: query.getAll(PARAMS.kind)
    };
    var kinds = {};
    dates.forEach(function (d) { kinds[d.kind] = d.kind_label; });

    var aoChoices = organisations.map(function (o) {
      return checkbox(PARAMS.ao, o.id, o.name, wanted.ao.indexOf(o.id) >= 0);
    });
    aoChoices.push(checkbox(PARAMS.ao, "national", "National calendar (results days, UCAS deadlines)",
      wanted.ao.indexOf("national") >= 0));
    var groupChoices = [];
    organisations.forEach(function (o) {
      o.qualification_groups.forEach(function (g) {
        var value = o.id + "/" + g.id;
        groupChoices.push(checkbox(PARAMS.group, value, (o.acronym || o.name) + ": " + g.name,
          wanted.group.indexOf(value) >= 0));
      });
    });
    var kindChoices = Object.keys(kinds).sort().map(function (kind) {
      return checkbox(PARAMS.kind, kind, kinds[kind], wanted.kind.indexOf(kind) >= 0);
    });

    var count = element("p", { class: "hub-my-calendar__count", "aria-live": "polite" });
    var button = element("button", { type: "submit", class: "md-button md-button--primary",
      text: "Download my calendar (.ics)" });
    var link = element("a", { class: "hub-my-calendar__link" });
    var subscribeList = element("ul", { class: "hub-my-calendar__subscriptions" });
    var subscribeBox = element("div", { class: "hub-my-calendar__subscribe" }, [
      element("p", { text: "To stay up to date, subscribe to each organisation or qualification you ticked: these follow every change." }),
      subscribeList,
    ]);
    subscribeBox.hidden = true;
    var form = element("form", { class: "hub-my-calendar__fields", "aria-label": "Your centre's calendar" }, [
      fieldset("Awarding organisations", "", aoChoices),
      fieldset("Qualifications", "Dates for the qualifications you tick.", groupChoices),
      fieldset("Types of date", "", kindChoices),
      count,
      subscribeBox,
      button,
      element("p", { class: "hub-hint", text: "The download is a copy of today's dates: it will not change when a date changes." }),
      element("p", {}, [document.createTextNode("Link to this choice: "), link])
    ]);
    var root = new URL(section.getAttribute("data-root") || "./", window.location.href);

    function selection() {
      var choice = { ao: chosen(form, PARAMS.ao), group: chosen(form, PARAMS.group), kind: chosen(form, PARAMS.kind) };
      var uids = dates.filter(function (d) { return matches(d, choice); })
        .map(function (d) { return d.uid + "@vtq-hub"; })
        .filter(function (uid) { return uid in calendar.events; });
      return { choice: choice, uids: uids };
    }

    function update() {
      var picked = selection();
      // Keep the rest of the address (the key-dates filters share it); set only ours.
      var params = new URLSearchParams(window.location.search);
      ["ao", "group", "kind"].forEach(function (key) {
        params.delete(PARAMS[key]);
        picked.choice[key].forEach(function (value) { params.append(PARAMS[key], value); });
      });
      var url = new URL(window.location.href);
      url.search = params.toString();
      url.hash = "my-centre";
      window.history.replaceState(null, "", url.toString());
      link.href = url.toString();
      link.textContent = url.toString();
      var n = picked.uids.length;
      count.textContent = n === 1 ? "1 date matches your choice." : n + " dates match your choice.";
      button.disabled = n === 0;
      subscribeList.textContent = "";
      subscriptions(picked.choice, organisations, root, dates).forEach(function (li) { subscribeList.appendChild(li); });
      subscribeBox.hidden = !subscribeList.children.length;
    }

    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var blob = new Blob([icsText(calendar, selection().uids)], { type: "text/calendar;charset=utf-8" });
      var download = element("a", { href: URL.createObjectURL(blob), download: FILE_NAME });
      document.body.appendChild(download);
      download.click();
      download.remove();
      setTimeout(function () { URL.revokeObjectURL(download.href); }, 1000);
    });

    section.querySelector(".hub-my-calendar__form").appendChild(form);
    var ours = new URLSearchParams(window.location.search);
    if (["ao", "group", "kind"].some(function (key) { return ours.has(PARAMS[key]); })) update();
    else {
      var n = selection().uids.length;
      count.textContent = n + " dates match your choice.";
      link.href = window.location.href.split("#")[0] + "#my-centre";
      link.textContent = link.href;
    }
  }

  /* The hub's dates are large (every key date, twice: as JSON and as the calendar), so
   * they are fetched only when someone asks to make a calendar, or opens a link that
   * already holds a choice; a visit to the key dates page costs nothing more. */
  function myCalendar() {
    var section = document.getElementById("my-centre");
    if (!section || !window.fetch) return;
    var holder = section.querySelector(".hub-my-calendar__form");
    var root = new URL(section.getAttribute("data-root") || "./", window.location.href);
    var begin = element("button", { type: "button", class: "md-button",
      text: "Choose your centre's dates" });
    var status = element("p", { class: "hub-my-calendar__status", role: "status" });
    holder.appendChild(begin);
    holder.appendChild(status);
    section.hidden = false;

    function get(path, kind) {
      return fetch(new URL(path, root)).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return kind === "json" ? response.json() : response.text();
      });
    }
    function load() {
      begin.disabled = true;
      status.textContent = "Loading the hub's key dates…";
      Promise.all([
        get("api/v1/organisations.json", "json"),
        get("api/v1/dates.json", "json"),
        get("calendars/all.ics", "text")
      ]).then(function (loaded) {
        begin.remove();
        status.textContent = "";
        buildForm(section, loaded[0].organisations, loaded[1].dates, splitCalendar(loaded[2]));
      }).catch(function () {
        begin.disabled = false;
        status.textContent = "The key dates could not be loaded. Try again, or use the " +
          "calendars and downloads above.";
      });
    }

    begin.addEventListener("click", load);
    var query = new URLSearchParams(window.location.search);
    if (["ao", "group", "kind"].some(function (key) { return query.has(PARAMS[key]); })) load();
  }

  function start() {
    calendarAddresses();
    webcalLinks();
    myCalendar();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
