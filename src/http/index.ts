/** HTTP: express only here. Webhook routes, the API channel, the staff API, health, metrics, docs. */
export { createHttpApp, type HttpDependencies } from './app.js';
export { createAuthenticator, type Authenticator, type AppPrincipal } from './authentication.js';
export { createMetrics, type Metrics } from './metrics.js';
export { buildOpenApiDocument } from './openapi.js';
