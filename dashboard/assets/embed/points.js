/* Hover values and keyboard access on the server's SVG chart, without plotly.js.
   Every point the drawer makes hoverable carries a <title> "name – year: value", already
   formatted as the page formats numbers; this script shows that text in a tooltip next to the
   pointer, and lets a keyboard reader move between the points with the arrow keys, the value
   announced through an aria-live region. No inline code or style attributes (strict CSP):
   positions are set through the CSSOM. Plain ES5-level code. */
(function () {
  "use strict";

  var root = document.documentElement;

  // The drawing on screen: the server draws one SVG per width (and height band); CSS shows one.
  function shownSvg(chart) {
    var svgs = chart.querySelectorAll("svg");
    for (var i = 0; i < svgs.length; i++) {
      if (svgs[i].getClientRects().length) { return svgs[i]; }
    }
    return null;
  }

  // The points of the shown drawing, per trace in drawing order (the drawer writes them by year).
  function readPoints(svg) {
    var traces = [];
    var groups = svg.querySelectorAll("g.trace");
    for (var i = 0; i < groups.length; i++) {
      if (groups[i].getAttribute("display") === "none" || !groups[i].getClientRects().length) { continue; }
      var list = [];
      var marks = groups[i].querySelectorAll("[data-tip]");
      for (var j = 0; j < marks.length; j++) { list.push(marks[j]); }
      if (list.length) { traces.push(list); }
    }
    return traces;
  }

  // The native <title> tooltips would show beside ours: keep their text as data-tip instead.
  function takeTitles(chart) {
    var titles = chart.querySelectorAll("g.trace title");
    for (var i = titles.length - 1; i >= 0; i--) {
      var owner = titles[i].parentNode;
      owner.setAttribute("data-tip", titles[i].textContent);
      owner.removeChild(titles[i]);
    }
  }

  // The line the keys start on: the one the legend names first (the home region's measured
  // values; peers are drawn first, beneath it), else the first line drawn.
  function startTrace(svg, traces) {
    var first = svg.querySelector("g.legend-item text");
    var name = first ? first.textContent : "";
    for (var i = 0; name && i < traces.length; i++) {
      if (traces[i][0].getAttribute("data-tip").indexOf(name) === 0) { return i; }
    }
    return 0;
  }

  function centre(el) {
    var box = el.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  }

  function enhance(chart) {
    takeTitles(chart);
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.hidden = true;
    tip.setAttribute("aria-hidden", "true");  // the live region below speaks for it
    var ring = document.createElement("div");
    ring.className = "chart-tip__ring";
    ring.hidden = true;
    ring.setAttribute("aria-hidden", "true");
    chart.appendChild(ring);
    chart.appendChild(tip);
    // Outside the chart: the chart is role="img", whose content assistive technology ignores.
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    live.id = (chart.id || "chart") + "-live";
    chart.parentNode.insertBefore(live, chart.nextSibling);
    chart.tabIndex = 0;
    var current = null;  // [trace, point] shown with the keyboard

    function show(el) {
      var at = centre(el);
      var box = chart.getBoundingClientRect();
      var x = at.x - box.left, y = at.y - box.top;
      tip.textContent = el.getAttribute("data-tip");
      tip.hidden = false;
      ring.hidden = false;
      ring.style.left = x + "px";
      ring.style.top = y + "px";
      // Keep the tooltip inside the chart: to the left of the point in the right half.
      var width = tip.offsetWidth, height = tip.offsetHeight;
      var left = x + 10 + width > box.width ? Math.max(0, x - 10 - width) : x + 10;
      var top = Math.max(0, Math.min(box.height - height, y - height - 8));
      tip.style.left = left + "px";
      tip.style.top = top + "px";
    }

    function hide() { tip.hidden = true; ring.hidden = true; }

    chart.addEventListener("pointermove", function (event) {
      var svg = shownSvg(chart);
      if (!svg) { return; }
      var traces = readPoints(svg), best = null, bestDistance = 1e9;
      for (var i = 0; i < traces.length; i++) {
        for (var j = 0; j < traces[i].length; j++) {
          var at = centre(traces[i][j]);
          // Nearest in x first (the year), then in y: like plotly's "closest" on a line chart.
          var distance = Math.abs(at.x - event.clientX) * 4 + Math.abs(at.y - event.clientY);
          if (distance < bestDistance) { bestDistance = distance; best = traces[i][j]; }
        }
      }
      if (best) { show(best); } else { hide(); }
    });
    chart.addEventListener("pointerleave", function () {
      if (document.activeElement === chart && current) { move(0, 0); } else { hide(); }
    });

    function move(dTrace, dPoint, absolute) {
      var svg = shownSvg(chart);
      var traces = svg ? readPoints(svg) : [];
      if (!traces.length) { return; }
      var trace = current ? Math.min(current[0], traces.length - 1) : startTrace(svg, traces);
      var point = current ? current[1] : traces[0].length - 1;  // start at the latest year
      trace = (trace + dTrace + traces.length) % traces.length;
      point = absolute === "first" ? 0 : absolute === "last" ? traces[trace].length - 1 : point + dPoint;
      point = Math.max(0, Math.min(traces[trace].length - 1, point));
      current = [trace, point];
      var el = traces[trace][point];
      show(el);
      live.textContent = el.getAttribute("data-tip");
      root.setAttribute("data-chart-point", el.getAttribute("data-tip"));
    }

    chart.addEventListener("focus", function () { move(0, 0); });
    chart.addEventListener("blur", hide);
    chart.addEventListener("keydown", function (event) {
      var keys = {
        ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0],
        Home: [0, 0, "first"], End: [0, 0, "last"]
      };
      var step = keys[event.key];
      if (event.key === "Escape") { hide(); return; }
      if (!step) { return; }
      event.preventDefault();  // the arrows move between points, not the page
      move(step[0], step[1], step[2]);
    });
  }

  function start() {
    var charts = document.querySelectorAll("[data-chart-points]");
    for (var i = 0; i < charts.length; i++) { enhance(charts[i]); }
    if (charts.length) { root.setAttribute("data-chart-interactive", String(Math.round(window.performance.now()))); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
