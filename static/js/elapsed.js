// Keeps the elapsed time of an ongoing spasm current ("1 h 05 min", as the server wrote it);
// without JavaScript the server's text stays as it was when the page loaded.
(function () {
  "use strict";
  var nodes = document.querySelectorAll(".elapsed[data-started]");
  if (!nodes.length) return;
  function tick() {
    nodes.forEach(function (node) {
      var minutes = Math.max(0, Math.floor((Date.now() - Date.parse(node.dataset.started)) / 60000));
      var hours = Math.floor(minutes / 60);
      var rest = minutes % 60;
      node.textContent = hours ? hours + " h " + (rest < 10 ? "0" : "") + rest + " min" : rest + " min";
    });
  }
  tick();
  setInterval(tick, 30000);
})();
