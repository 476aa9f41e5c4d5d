/* The embed page's script: offers the table and tells the host page how tall the content is
   (for resize.js). Hover and keyboard access on the server's SVG chart come from points.js. No inline code, so a strict
   Content-Security-Policy holds. Plain ES5-level code: embeds live on many sites and browsers. */
(function () {
  "use strict";

  var MESSAGE = "plan-indikatorer:embed-height";
  var FIT = "plan-indikatorer:embed-fit";  // resize.js's answer: the frame follows the content
  var NO_PEERS = ["0", "false", "no", "nei", "off"];
  var root = document.documentElement;
  var params = new URLSearchParams(window.location.search);
  var lastHeight = 0;

  // The static export has one file per language: follow ?lang=en (nn, no) from the default
  // language's index.html to index.en.html (index.nn.html, index.no.html) there; the default
  // page lists the plan's other languages in data-export-langs.
  var wanted = (params.get("lang") || "").toLowerCase();
  if (wanted === "nb") { wanted = "no"; }
  var others = (root.getAttribute("data-export-langs") || "").split(" ");
  if (root.getAttribute("data-static-export") === "1" && wanted && others.indexOf(wanted) >= 0) {
    var path = window.location.pathname.replace(/(index\.html)?$/, "index." + wanted + ".html");
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

  // Static export with ?peers=0: hide the peers' lines and legend entries in the server's SVG
  // too (the server drew them; a static host cannot leave them out).
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

  function start() {
    var chart = document.getElementById("embed-chart");
    if (chart) { hidePeersInSvg(chart); }
    postHeight();
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
