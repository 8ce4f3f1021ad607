// Renders the API reference from this installation's OpenAPI document (a file, not inline: the CSP allows no inline script).
window.addEventListener('load', function () {
  window.SwaggerUIBundle({
    url: '/api/docs/openapi',
    dom_id: '#reference',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
