// The query page: YASGUI on this endpoint, and the library's questions put into it.
// Page data comes from <script type="application/json"> blocks (the CSP forbids inline scripts).
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  if (!host || typeof Yasgui === "undefined") {
    return; // no script support: the plain form below does the job
  }
  var initial = JSON.parse(document.getElementById("initial-query").textContent);
  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: host.dataset.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    // Stored tabs would bring back another endpoint or an old query: start fresh.
    persistenceId: null,
    yasqe: { value: initial },
  });
  var tab = yasgui.getTab();
  tab.setQuery(initial);
  document.querySelectorAll("a.question").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var block = document.querySelector('script[data-question="' + link.dataset.name + '"]');
      if (!block) {
        return;
      }
      event.preventDefault();
      yasgui.getTab().setQuery(JSON.parse(block.textContent));
      host.scrollIntoView({ behavior: "smooth" });
    });
  });
  // The plain form stays for those who prefer it, folded away.
  var plain = document.getElementById("plain-form");
  if (plain) {
    plain.classList.add("secondary");
  }
})();
