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
  // Swagger UI's server picker is a <select> inside an empty <label>: give it its name (axe select-name).
  var root = document.getElementById('swagger-ui');
  function nameTheServerPicker() {
    var picker = root && root.querySelector('select#servers');
    if (picker && !picker.hasAttribute('aria-label')) picker.setAttribute('aria-label', document.documentElement.lang === 'es' ? 'Servidor' : 'Server');
  }
  if (root) new MutationObserver(nameTheServerPicker).observe(root, { childList: true, subtree: true });
});
