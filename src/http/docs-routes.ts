/**
 * `/v1/openapi.json` and a browsable reference page at `/v1/docs` (Swagger UI, served from the installed
 * swagger-ui-dist package: no CDN, works offline).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Ombuds API reference</title>
  <link rel="stylesheet" href="/v1/docs/assets/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui" aria-label="Ombuds API reference"></main>
  <script src="/v1/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/v1/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

export function docsRoutes(document: Record<string, unknown>): Router {
  const router = Router();
  router.get('/v1/openapi.json', (_request, response) => {
    response.json(document);
  });
  router.get('/v1/docs', (_request, response) => {
    response.type('html').send(PAGE);
  });
  router.get('/v1/docs/init.js', (_request, response) => {
    response.type('application/javascript').send(INIT);
  });
  router.use('/v1/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1h' }));
  return router;
}
