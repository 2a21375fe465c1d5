// Label (/nurse/label/{device}): after "Print label" (which the hub audits) the page comes back with ?print=1 and
// opens the browser's print dialog once.
"use strict";
(function () {
  if (new URLSearchParams(window.location.search).get("print") === "1") {
    // Drop the flag first, so a reload does not print again.
    window.history.replaceState(null, "", window.location.pathname);
    window.addEventListener("load", function () { window.print(); });
  }
})();
