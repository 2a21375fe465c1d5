// Find trackers (/nurse): redraws the nearby and enrolled tables from /nurse/api/nearby every 2 s.
// Without this script the page is the same, refreshed by reloading it. Text goes in with textContent only.
"use strict";
(function () {
  var PERIOD_MS = 2000;
  var nearbyTable = document.getElementById("nearby-table");
  var enrolledTable = document.getElementById("enrolled-table");
  var template = document.getElementById("check-template");
  if (!nearbyTable || !enrolledTable) { return; }
  var canOnboard = nearbyTable.getAttribute("data-can-onboard") === "true";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function cell(row) { var td = el("td"); row.appendChild(td); return td; }

  function signal(td, bars, rssi) {
    var span = el("span", "bars bars-" + bars);
    span.setAttribute("role", "img");
    span.setAttribute("aria-label", bars + " of 4 bars");
    for (var i = 0; i < 4; i++) { span.appendChild(el("i")); }
    td.appendChild(span);
    td.appendChild(document.createTextNode(" " + (rssi === null ? "\u2014" : rssi + " dBm")));
  }

  function battery(td, percent, low) {
    if (percent === null) { td.appendChild(el("span", "muted", "unknown")); }
    else if (low) { td.appendChild(el("span", "bad", percent + " % (charge it)")); }
    else { td.textContent = percent + " %"; }
  }

  function name(td, title, id) {
    td.appendChild(el(title.bold ? "b" : "span", null, title.text));
    td.appendChild(el("br"));
    td.appendChild(el("small", "muted", id));
  }

  function checkButton(candidate) {
    // A copy of the page's hidden form carries the anti-forgery token.
    var form = template.cloneNode(true);
    form.removeAttribute("id");
    form.hidden = false;
    form.className = "inline";
    form.action = "/nurse/check/" + encodeURIComponent(candidate);
    var button = el("button", "big", "Check signal");
    button.type = "submit";
    button.setAttribute("data-testid", "check-button");
    form.appendChild(button);
    return form;
  }

  function drawNearby(list) {
    var body = el("tbody");
    list.forEach(function (t) {
      var row = el("tr");
      row.setAttribute("data-testid", "nearby-row");
      row.setAttribute("data-candidate", t.candidate);
      name(cell(row), { text: t.name }, t.candidate);
      cell(row).textContent = t.profile;
      signal(cell(row), t.bars, t.rssi);
      battery(cell(row), t.battery, t.batteryLow);
      var enrolled = cell(row);
      if (t.participant) { enrolled.appendChild(el("span", "badge ok", t.participant)); }
      else { enrolled.appendChild(el("span", "muted", "not enrolled")); }
      var action = cell(row);
      if (!t.participant && canOnboard && template) { action.appendChild(checkButton(t.candidate)); }
      body.appendChild(row);
    });
    nearbyTable.replaceChild(body, nearbyTable.tBodies[0]);
    document.getElementById("nearby-empty").hidden = list.length > 0;
  }

  function link(text, href, testId) {
    var a = el("a", "button secondary", text);
    a.href = href;
    a.setAttribute("data-testid", testId);
    return a;
  }

  function drawEnrolled(list) {
    var body = el("tbody");
    list.forEach(function (t) {
      var row = el("tr");
      row.setAttribute("data-testid", "enrolled-row");
      row.setAttribute("data-device", t.device);
      cell(row).appendChild(el("b", null, t.participant));
      name(cell(row), { text: t.profile }, t.device);
      var state = cell(row);
      state.appendChild(el("span", "badge " + t.stateClass, t.state));
      if (t.problem) { state.appendChild(el("br")); state.appendChild(el("small", null, t.problem)); }
      cell(row).textContent = t.lastData;
      battery(cell(row), t.battery, t.batteryLow);
      var actions = cell(row);
      if (canOnboard) {
        actions.appendChild(link("Label", "/nurse/label/" + encodeURIComponent(t.device), "label-link"));
        actions.appendChild(link("Unenroll", "/nurse/unenroll/" + encodeURIComponent(t.device), "unenroll-link"));
      }
      body.appendChild(row);
    });
    enrolledTable.replaceChild(body, enrolledTable.tBodies[0]);
    document.getElementById("enrolled-empty").hidden = list.length > 0;
  }

  function sessionEnded() {
    document.getElementById("session-ended").hidden = false;
  }

  function refresh() {
    fetch("/nurse/api/nearby", { credentials: "same-origin", headers: { "Accept": "application/json" }, redirect: "manual" })
      .then(function (response) {
        // A redirect (to sign-in) or 401 means the session ended: say so and stop polling.
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) { sessionEnded(); return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (!data) { return; }
        drawNearby(data.nearby);
        drawEnrolled(data.enrolled);
        document.getElementById("nearby-updated").textContent = "Updated " + data.updated;
        window.setTimeout(refresh, PERIOD_MS);
      })
      .catch(function () {
        document.getElementById("nearby-updated").textContent = "The hub did not answer; retrying\u2026";
        window.setTimeout(refresh, PERIOD_MS);
      });
  }

  window.setTimeout(refresh, PERIOD_MS);
})();
