/*
 * The server sends every page ready to read (#prerendered, see dashboard/prerender.py) and Dash
 * draws the same page into #react-entry-point, hidden by the style sheet while the server's copy
 * is there. Once Dash's page is complete (its content is in and every Plotly chart has drawn),
 * the server's copy goes: ids stay unique and the reader carries on where they were — focus,
 * open disclosures and scroll position are carried over.
 */
(function () {
  "use strict";
  var copy = document.getElementById("prerendered");
  var entry = document.getElementById("react-entry-point");
  if (!copy || !entry) { return; }

  function complete() {
    var content = document.getElementById("_pages_content");
    if (!content || !content.querySelector("main h1")) { return null; }
    var graphs = content.querySelectorAll(".dash-graph");
    for (var i = 0; i < graphs.length; i++) {
      if (!graphs[i].querySelector(".main-svg")) { return null; }
    }
    return content;
  }

  function carryOver(content) {
    var opened = copy.querySelectorAll("details");
    var drawn = content.querySelectorAll("details");
    for (var i = 0; i < opened.length && i < drawn.length; i++) {
      if (opened[i].open) { drawn[i].open = true; }
    }
    var active = document.activeElement;
    if (!active || !copy.contains(active)) { return null; }
    if (active.id) { return document.querySelectorAll("#react-entry-point #" + CSS.escape(active.id))[0] || null; }
    var all = copy.querySelectorAll("a, button, summary, textarea, [tabindex]");
    var mirror = content.querySelectorAll("a, button, summary, textarea, [tabindex]");
    var index = Array.prototype.indexOf.call(all, active);
    return index >= 0 && index < mirror.length ? mirror[index] : null;
  }

  var observer = new MutationObserver(function () {
    var content = complete();
    if (!content) { return; }
    observer.disconnect();
    var focus = carryOver(content);
    var x = window.scrollX, y = window.scrollY;
    copy.remove();
    window.scrollTo(x, y);
    if (focus) { focus.focus({preventScroll: true}); }
  });
  observer.observe(entry, {childList: true, subtree: true});
})();
