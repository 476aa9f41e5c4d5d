/* The embed page's only script: offers the table, lets plotly.js take over the server's SVG
   chart (for hover and zoom) once the page has loaded, and tells the host page how tall the
   content is (for resize.js). No inline code, so a strict
   Content-Security-Policy holds. Plain ES5-level code: embeds live on many sites and browsers. */
(function () {
  "use strict";

  var MESSAGE = "plan-indikatorer:embed-height";
  var FIT = "plan-indikatorer:embed-fit";  // resize.js's answer: the frame follows the content
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

  // ?height=N: the page is exactly N px tall, whatever the frame (the server checked N).
  // Set through the CSSOM, which the Content-Security-Policy allows (style attributes it does not).
  var fixedHeight = parseInt(root.getAttribute("data-height") || "", 10);
  if (fixedHeight > 0) { root.style.height = fixedHeight + "px"; }

  // The host page runs resize.js, which sets the frame's height from ours: lay out to the
  // content (the chart at its natural height) instead of to the frame.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || window.parent === window || !data ||
        typeof data !== "object" || data.type !== FIT || fixedHeight > 0) { return; }
    if (root.getAttribute("data-fit") !== "content") {
      root.setAttribute("data-fit", "content");
      postHeight();
    }
  });

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

  // Static export with ?peers=0: hide the peers' lines and legend entries in the server's SVG
  // too, until plotly.js (drawing only the rest) takes over.
  function hidePeersInSvg(chart) {
    if (root.getAttribute("data-static-export") !== "1" ||
        NO_PEERS.indexOf((params.get("peers") || "").toLowerCase()) < 0) { return; }
    var all = JSON.parse(document.getElementById("embed-figure").textContent);
    all.data.forEach(function (trace, index) {
      if (all.peers.indexOf(trace.name) < 0) { return; }
      var parts = chart.querySelectorAll('[data-trace="' + index + '"]');
      for (var i = 0; i < parts.length; i++) { parts[i].setAttribute("display", "none"); }
    });
  }

  function stamp(name) {
    root.setAttribute(name, String(Math.round(window.performance.now())));
  }

  // plotly.js replaces the server's SVG for hover and zoom. It is loaded only after the page
  // has loaded and painted, so it never delays the chart; it draws off screen in a box of
  // exactly the SVG's size, and the SVG goes in the same frame as the new chart shows.
  function takeOver(chart) {
    var fig = figure();
    var height = Math.round(chart.getBoundingClientRect().height) || fig.layout.height;
    if (root.getAttribute("data-static-export") === "1" && params.get("height")) {
      height = fig.layout.height;  // asked for explicitly: worth the one change of size
    }
    if (height < 140) {
      // Too short for plotly.js's own ticks (they overlap): the server's drawing for this
      // height stays, with its tooltips; nothing moves.
      stamp("data-chart-static");
      return;
    }
    fig.layout.height = height;
    chart.style.height = height + "px";
    // In a short frame, drop what the server's short drawings drop (embed_html.chart_svgs):
    // the legend where it would take most of the height, and a y title longer than the chart.
    if (height < 300) {
      var title = fig.layout.yaxis && fig.layout.yaxis.title;
      var text = title && typeof title === "object" ? title.text : title;
      if (typeof text === "string" && text.length * 6.5 > height * 0.3) { fig.layout.yaxis.title = { text: "" }; }
    }
    // The legend only where the server drew one: in the full-height band (embed_html.chart_svgs).
    var full = chart.querySelector(".embed__band--full");
    if (!full || full.offsetParent === null) { fig.layout.showlegend = false; }
    var target = document.createElement("div");
    target.className = "embed__plotly embed__plotly--pending";
    chart.appendChild(target);
    window.Plotly.newPlot(target, fig.data, fig.layout, fig.config).then(function () {
      window.requestAnimationFrame(function () {
        var bands = chart.querySelectorAll(".embed__band");
        for (var i = 0; i < bands.length; i++) { chart.removeChild(bands[i]); }
        target.classList.remove("embed__plotly--pending");  // keep plotly's own classes
        stamp("data-chart-interactive");
        postHeight();
      });
    }, function () {
      chart.removeChild(target);  // the server's chart stays
      chart.style.height = "";
    });
  }

  function loadPlotly() {
    var chart = document.getElementById("embed-chart");
    var src = chart && chart.getAttribute("data-plotly");
    if (!src) { return; }
    if (window.Plotly) { takeOver(chart); return; }
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () { if (window.Plotly) { takeOver(chart); } };
    // Without plotly.js the server's chart simply stays: nothing is lost but hover and zoom.
    document.head.appendChild(script);
  }

  function start() {
    var chart = document.getElementById("embed-chart");
    if (chart) { hidePeersInSvg(chart); }
    postHeight();
    // After the next frame (so the server's chart has been painted), not at idle time: on a
    // busy device idle time may be long in coming, and the reader waits for hover meanwhile.
    var later = function () {
      window.requestAnimationFrame(function () { window.setTimeout(loadPlotly, 0); });
    };
    if (document.readyState === "complete") { later(); }
    else { window.addEventListener("load", later); }
  }

  if (window.ResizeObserver) {
    new window.ResizeObserver(function () { postHeight(); }).observe(document.body);
  } else {
    window.addEventListener("resize", postHeight);
  }
  document.addEventListener("toggle", postHeight, true);  // opening the table makes it taller
  try {
    start();
  } catch (err) {
    showTable(true);  // whatever went wrong, the figures stay readable
    postHeight();
    throw err;
  }
}());
