/*
 * The API reference at /docs: Swagger UI (served by the service itself, no CDN) on the service's OpenAPI document.
 * Configured here, in a file, so the page's Content-Security-Policy needs no inline script.
 */
window.addEventListener('load', function () {
  'use strict';
  window.ui = window.SwaggerUIBundle({
    url: '/openapi/v1.json',
    dom_id: '#swagger-ui',
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    deepLinking: false,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    validatorUrl: null
  });
});
