/* The embed page's only script: draws the chart from the page's JSON block and tells the host
   page how tall the content is (for resize.js). No inline code, so a strict
   Content-Security-Policy holds. Plain ES5-level code: embeds live on many sites and browsers. */
(function () {
  "use strict";

  var MESSAGE = "trondheimsloftet:embed-height";
  var NO_PEERS = ["0", "false", "no", "nei", "off"];
  var root = document.documentElement;
  var params = new URLSearchParams(window.location.search);
  var lastHeight = 0;

  // The static export has one file per language: follow ?lang=en to index.en.html there.
  if (root.getAttribute("data-static-export") === "1" && root.lang !== "en" &&
      (params.get("lang") || "").toLowerCase() === "en") {
    var path = window.location.pathname.replace(/(index\.html)?$/, "index.en.html");
    window.location.replace(path + window.location.search + window.location.hash);
    return;
  }

  function postHeight() {
    if (window.parent === window) { return; }
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) { return; }
    lastHeight = height;
    // The height is no secret, and the host's origin is not known here: any parent may read it.
    window.parent.postMessage({ type: MESSAGE, height: height }, "*");
  }

  function showTable(open) {
    var details = document.getElementById("embed-table");
    if (!details) { return; }
    details.hidden = false;
    if (open) { details.open = true; }
  }

  function figure() {
    var block = document.getElementById("embed-figure");
    var fig = JSON.parse(block.textContent);
    // A static host cannot act on ?peers=0 and ?height=; the server already has.
    if (root.getAttribute("data-static-export") === "1") {
      if (NO_PEERS.indexOf((params.get("peers") || "").toLowerCase()) >= 0) {
        fig.data = fig.data.filter(function (trace) { return fig.peers.indexOf(trace.name) < 0; });
      }
      var height = parseInt(params.get("height") || "", 10);
      if (height > 0) { fig.layout.height = Math.max(160, Math.min(1200, height)); }
    }
    return fig;
  }

  function draw() {
    var chart = document.getElementById("embed-chart");
    if (!chart || !window.Plotly) {
      showTable(true);  // no chart without plotly.js: show the figures instead
      postHeight();
      return;
    }
    var fig = figure();
    chart.style.height = fig.layout.height + "px";  // reserve the space before plotly draws
    showTable(false);
    window.Plotly.newPlot(chart, fig.data, fig.layout, fig.config).then(function () {
      root.setAttribute("data-chart-drawn", String(Math.round(window.performance.now())));
      postHeight();
    }, function () {
      showTable(true);
      postHeight();
    });
  }

  if (window.ResizeObserver) {
    new window.ResizeObserver(function () { postHeight(); }).observe(document.body);
  } else {
    window.addEventListener("resize", postHeight);
  }
  document.addEventListener("toggle", postHeight, true);  // opening the table makes it taller
  try {
    draw();
  } catch (err) {
    showTable(true);  // whatever went wrong, the figures stay readable
    postHeight();
    throw err;
  }
}());
