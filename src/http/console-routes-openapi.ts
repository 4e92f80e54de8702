/**
 * The staff console's page and vendored chart library in the OpenAPI document (console-routes.ts): not API, but
 * routes Ombuds answers, described like the web chat's page so the document covers every route app.ts mounts. The
 * console's other files (`/console/<module>.js`, `console.css`) are static files beside the page.
 */
type JsonObject = Record<string, unknown>;

const HTML = { 'text/html': { schema: { type: 'string' } } };
const PAGE = {
  summary: 'The staff console (for complaint handlers and supervisors)',
  description:
    'One HTML page; its screens (sign-in, queue, complaint, assisted intake, dashboard) are drawn by `/console/app.js` from the staff API and addressed by the URL’s hash (`#/queue`, `#/complaint/{id}`, `#/intake`, `#/dashboard`). Needs no credentials itself: every call it makes does (sign in at `POST /console/api/session`). Served with a strict Content-Security-Policy (this origin only, nothing inline, never framed) and `Cache-Control: no-cache`.',
  responses: { '200': { description: 'An HTML page.', content: HTML } },
};

export function consolePagePathItems(): Record<string, JsonObject> {
  return {
    '/console': { get: { ...PAGE, operationId: 'getConsolePage' } },
    '/console/': { get: { ...PAGE, summary: 'The staff console (the same page)', operationId: 'getConsolePageSlash' } },
    '/console/vendor/chart.umd.min.js': {
      get: {
        summary: 'Chart.js (UMD build) for the console’s dashboard',
        description: 'Served from the installed `chart.js` package (no CDN); cached for a day.',
        operationId: 'getConsoleChartLibrary',
        responses: { '200': { description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } } },
      },
    },
  };
}
