/* The embed code's copy buttons (indicator pages). Each button names its code box and its status
   region (data-copy, data-copy-status) and carries the status text in the page's language
   (data-copied). The Clipboard API where the browser allows it (https or localhost), else the
   selection and the old copy command. A file, not inline code: the Content-Security-Policy runs
   no inline script. Plain ES5-level code. */
(function () {
  "use strict";

  function say(button) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!status) { return; }
    // Emptied first, so that a second copy is announced again by the live region.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = button.getAttribute("data-copied"); }, 50);
  }

  function fallback(box, button) {
    box.focus();
    box.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
    if (copied) { say(button); }
  }

  function copy(button) {
    var box = document.getElementById(button.getAttribute("data-copy"));
    if (!box) { return; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(box.value).then(
        function () { say(button); },
        function () { fallback(box, button); }
      );
    } else {
      fallback(box, button);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (button) { copy(button); }
  });
}());
