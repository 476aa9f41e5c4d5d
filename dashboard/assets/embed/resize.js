/* Optional script for pages that embed charts from a plan's indicator dashboard:
   makes each embed's <iframe> exactly as tall as its content, so nothing is cut off or scrolls.

   Usage, once per page, anywhere after or before the iframes:
     <script src="https://DASHBOARD/embed/static/resize.js" async></script>

   The embed page sends {type: "plan-indikatorer:embed-height", height: <px>} with
   postMessage. A message is obeyed only if it has exactly that shape, comes from one of this
   page's iframes, and from the origin that iframe was loaded from. The first time, the script
   answers {type: "plan-indikatorer:embed-fit"} to that frame (and only to its origin): the embed
   then lays out to its content instead of filling the frame, and sends its natural height. */
(function () {
  "use strict";

  var MESSAGE = "plan-indikatorer:embed-height";
  var FIT = "plan-indikatorer:embed-fit";
  var MIN_HEIGHT = 50;
  var MAX_HEIGHT = 10000;

  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === source) { return frames[i]; }
    }
    return null;
  }

  function originOf(frame) {
    try {
      return new URL(frame.src, window.location.href).origin;
    } catch (err) {
      return null;
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== MESSAGE) { return; }
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height) || height < MIN_HEIGHT || height > MAX_HEIGHT) {
      return;
    }
    var frame = frameOf(event.source);
    if (!frame || originOf(frame) !== event.origin) { return; }
    frame.style.height = Math.ceil(height) + "px";
    if (!frame.hasAttribute("data-fit-content")) {
      frame.setAttribute("data-fit-content", "");
      event.source.postMessage({ type: FIT }, event.origin);
    }
  });
}());
