/* Starts Swagger UI on /api/docs/ (a file, so the Content-Security-Policy needs no inline script). */
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  const config = root.dataset;

  // Swagger UI jumps from its title (h1) to each tag (h3): an h2 keeps the outline in order.
  // Its title sits outside its own <main> (in a <section>): a banner puts it in a landmark.
  const accessibleOutline = (system) => ({
    wrapComponents: {
      InfoContainer: (Original) => (props) =>
        system.React.createElement("header", { role: "banner" }, system.React.createElement(Original, props)),
      operations: (Original) => (props) =>
        system.React.createElement(
          "div",
          null,
          system.React.createElement("h2", { className: "visually-hidden" }, config.operationsHeading),
          system.React.createElement(Original, props),
        ),
    },
  });

  window.SwaggerUIBundle({
    url: config.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    plugins: [accessibleOutline],
    layout: "BaseLayout",
    deepLinking: false, // its links sit inside buttons, which screen readers cannot reach
    requestInterceptor: (request) => {
      if (!["GET", "HEAD", undefined].includes(request.method)) {
        request.headers[config.csrfHeader] = config.csrfToken;
      }
      return request;
    },
  });
})();
