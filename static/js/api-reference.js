// The API reference page: Swagger UI on this site's OpenAPI document.
(function () {
  var el = document.getElementById("swagger-ui");
  if (!el || typeof SwaggerUIBundle === "undefined") { return; }
  SwaggerUIBundle({ url: el.dataset.spec, domNode: el, deepLinking: true, tryItOutEnabled: false,
                    defaultModelsExpandDepth: 0 });
}());
