// Live check (/nurse/check/{candidate}): polls /nurse/api/check/{candidate} every second, updates the streams' rates,
// verdicts and counts, and draws each stream's last seconds on its canvas. A lost tracker (or a 404) shows the message
// with the "Check again" button. Text goes in with textContent only.
"use strict";
(function () {
  var PERIOD_MS = 1000;
  var root = document.getElementById("check");
  if (!root) { return; }
  var candidate = root.getAttribute("data-candidate");
  var table = document.getElementById("streams");
  var stopped = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function draw(canvas, points, color) {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth || 320, height = canvas.clientHeight || 80;
    if (canvas.width !== Math.round(width * ratio)) { canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio); }
    var g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    if (!points || points.length < 2) { return; }
    var min = Infinity, max = -Infinity;
    points.forEach(function (v) { if (v < min) { min = v; } if (v > max) { max = v; } });
    if (max - min < 1e-9) { max = min + 1; min = min - 1; }
    var pad = 6;
    g.strokeStyle = color;
    g.lineWidth = 1.5;
    g.beginPath();
    points.forEach(function (v, i) {
      var x = (i / (points.length - 1)) * (width - 2) + 1;
      var y = height - pad - ((v - min) / (max - min)) * (height - 2 * pad);
      if (i === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
    });
    g.stroke();
    g.fillStyle = "#5f6368";
    g.font = "11px system-ui, sans-serif";
    g.fillText(String(Math.round(max * 100) / 100), 4, 12);
    g.fillText(String(Math.round(min * 100) / 100), 4, height - 3);
  }

  function rowFor(stream) {
    var row = el("tr");
    row.setAttribute("data-testid", "stream-row");
    row.setAttribute("data-stream", stream.stream);
    var name = el("td");
    name.appendChild(el("b", null, stream.stream));
    name.appendChild(el("br"));
    name.appendChild(el("small", "muted", stream.column));
    row.appendChild(name);
    var rate = el("td");
    var verdict = el("span", "badge");
    verdict.setAttribute("data-testid", "stream-verdict");
    rate.appendChild(verdict);
    rate.appendChild(document.createTextNode(" "));
    var rateText = el("span");
    rateText.setAttribute("data-testid", "stream-rate");
    rate.appendChild(rateText);
    row.appendChild(rate);
    var samples = el("td");
    samples.setAttribute("data-testid", "stream-samples");
    row.appendChild(samples);
    var chartCell = el("td");
    var canvas = el("canvas", "chart");
    canvas.width = 320; canvas.height = 80;
    canvas.setAttribute("data-testid", "stream-chart");
    canvas.setAttribute("aria-label", stream.column + ", last seconds");
    chartCell.appendChild(canvas);
    row.appendChild(chartCell);
    return row;
  }

  var COLORS = { ok: "#1b7f3b", warn: "#b45f06", bad: "#b3261e" };

  function drawStreams(streams) {
    var body = table.tBodies[0];
    var ids = streams.map(function (s) { return s.stream; }).join("\n");
    var shown = Array.prototype.map.call(body.rows, function (r) { return r.getAttribute("data-stream"); }).join("\n");
    if (ids !== shown) {
      var fresh = el("tbody");
      streams.forEach(function (s) { fresh.appendChild(rowFor(s)); });
      table.replaceChild(fresh, body);
      body = fresh;
    }
    streams.forEach(function (s, i) {
      var row = body.rows[i];
      var verdict = row.querySelector("[data-testid=stream-verdict]");
      verdict.className = "badge " + s.verdict;
      verdict.setAttribute("data-verdict", s.verdict);
      verdict.textContent = s.verdictText;
      row.querySelector("[data-testid=stream-rate]").textContent = s.rate;
      row.querySelector("[data-testid=stream-samples]").textContent = s.samples;
      draw(row.querySelector("canvas"), s.recent, COLORS[s.verdict] || "#1d1d1f");
    });
    document.getElementById("streams-empty").hidden = streams.length > 0;
  }

  function showLost(message) {
    var lost = document.getElementById("check-lost");
    document.getElementById("check-lost-text").textContent = message;
    lost.hidden = false;
  }

  function update(data) {
    var state = document.getElementById("check-state");
    state.textContent = data.state;
    state.className = "badge " + data.stateClass;
    root.setAttribute("data-state", data.state);
    var battery = document.getElementById("check-battery");
    battery.textContent = "";
    if (data.battery === null) { battery.appendChild(el("span", "muted", "unknown")); }
    else { battery.appendChild(el("span", data.batteryLow ? "bad" : null, data.battery + " %" + (data.batteryLow ? " (charge it)" : ""))); }
    document.getElementById("check-ends").textContent = data.ends || "";
    var problem = document.getElementById("check-problem");
    problem.textContent = data.problem || "";
    problem.hidden = !data.problem;
    drawStreams(data.streams);
    if (data.lost) { showLost(data.message); } else { document.getElementById("check-lost").hidden = true; }
  }

  function poll() {
    if (stopped) { return; }
    fetch("/nurse/api/check/" + encodeURIComponent(candidate), { credentials: "same-origin", headers: { "Accept": "application/json" }, redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          showLost("Your session has ended: sign in again, then check the tracker again.");
          stopped = true;
          return null;
        }
        if (response.status === 404) {
          return response.json().then(function (data) {
            root.setAttribute("data-state", "lost");
            var state = document.getElementById("check-state");
            state.textContent = "lost";
            state.className = "badge bad";
            showLost(data.message);
            return null;
          });
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { if (data) { update(data); } window.setTimeout(poll, PERIOD_MS); })
      .catch(function () { window.setTimeout(poll, PERIOD_MS); });
  }

  poll();
})();
