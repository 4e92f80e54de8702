/**
 * The staff console's static files (issue 8, decision 0014): the page at `/console` (and `/console/`), its ES
 * modules and stylesheet under `/console/…`, and Chart.js's UMD build from node_modules at
 * `/console/vendor/chart.umd.min.js` (no CDN). Nothing here reads data: every screen is a client of the staff API,
 * so these routes need no session — the API calls do.
 *
 * The page runs under a strict Content-Security-Policy (this origin's scripts, styles and connections only; no
 * inline code or style attributes; never framed). The modules carry no version in their names (no build step), so
 * they are revalidated on every load (`no-cache` + ETag); the vendored chart library is cached for a day.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** web/console, beside src/ (and beside dist/ once compiled). */
export const CONSOLE_ASSETS = new URL('../../web/console/', import.meta.url);

/** The file `/console/vendor/chart.umd.min.js` serves: wherever npm put chart.js. */
export function chartLibraryPath(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.min.js');
}

export interface ConsoleRouteOptions {
  /** The folder holding index.html, console.css and the modules (web/console). */
  assetsDirectory?: URL;
  /** The Chart.js UMD file (default: node_modules' chart.js/dist/chart.umd.min.js). */
  chartLibrary?: string;
}

/** The console page's security headers: our own code only, nothing inline, never in a frame. */
export function consolePageHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cache-Control': 'no-cache',
  };
}

const VENDOR_CACHE = 'public, max-age=86400';

export function consoleRoutes(options: ConsoleRouteOptions = {}): Router {
  const router = Router();
  const directory = options.assetsDirectory ?? CONSOLE_ASSETS;
  const page = readFileSync(new URL('index.html', directory));
  const chart = readFileSync(options.chartLibrary ?? chartLibraryPath());
  const headers = consolePageHeaders();

  router.get(['/console', '/console/'], (_request, response) => {
    response.set(headers).type('html').send(page);
  });
  router.get('/console/vendor/chart.umd.min.js', (_request, response) => {
    response.set({ 'Cache-Control': VENDOR_CACHE }).type('text/javascript').send(chart);
  });
  router.use(
    '/console',
    express.static(fileURLToPath(directory), {
      index: false,
      dotfiles: 'ignore',
      redirect: false,
      fallthrough: true,
      setHeaders: (response) => {
        for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      },
    }),
  );
  return router;
}
