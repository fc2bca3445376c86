"use strict";
// Starts Swagger UI on the API documentation page (templates/api/docs.html). A file of its own, not
// an inline script: the Content-Security-Policy allows scripts from the portal only.
(function () {
  const root = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The portal reads the API only: no "Try it out" that would send writes.
    supportedSubmitMethods: ["get", "head"],
  });
})();
