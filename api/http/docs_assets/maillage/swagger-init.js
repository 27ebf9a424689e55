// Swagger UI's settings for Maillage's /docs: the document of this service, no call to any
// other host (no validator badge), operationIds and x-roles (who may call) shown.
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  displayOperationId: true,
  showExtensions: true,
  docExpansion: "list",
  validatorUrl: null,
  layout: "BaseLayout",
  presets: [SwaggerUIBundle.presets.apis],
});
