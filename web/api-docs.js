// The API reference page (/api-docs): Swagger UI over the server's own OpenAPI document. A file
// of its own because the server's content security policy runs no inline script. No validator
// badge (it would ask an outside site), no outside request at all.
/* global SwaggerUIBundle */
window.bussolaApiDocs = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  onComplete: () => { document.body.dataset.apiDocsReady = '1'; },
});
