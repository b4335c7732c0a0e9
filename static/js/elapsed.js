// Keeps "started N minutes ago" current for an ongoing spasm; the server-rendered text works without it.
(function () {
  "use strict";
  var nodes = document.querySelectorAll(".elapsed[data-started]");
  if (!nodes.length) return;
  function tick() {
    nodes.forEach(function (node) {
      var minutes = Math.max(0, Math.floor((Date.now() - Date.parse(node.dataset.started)) / 60000));
      var hours = Math.floor(minutes / 60);
      node.textContent = "(" + (hours ? hours + " h " : "") + (minutes % 60) + " min)";
    });
  }
  tick();
  setInterval(tick, 30000);
})();
