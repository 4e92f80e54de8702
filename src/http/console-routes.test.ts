/**
 * The console's static routes on their own express app (in process, supertest): the page at /console and
 * /console/ with its strict CSP and no framing; every module the page imports, served as JavaScript and
 * revalidated; Chart.js from node_modules with a day's caching; nothing outside web/console (no traversal, no
 * dotfiles); requests the static files do not answer fall through to the routes behind (the session API). The
 * sources are checked for what the CSP and the escaping rule forbid: inline scripts, style attributes, inline
 * event handlers and innerHTML.
 */
import { readdirSync, readFileSync } from 'node:fs';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ASSETS, chartLibraryPath, consoleRoutes } from './console-routes.js';

function app() {
  const server = express();
  server.use(consoleRoutes());
  server.post('/console/api/session', (_request, response) => {
    response.status(201).json({ behind: true });
  });
  server.use((_request, response) => {
    response.status(404).json({ error: { code: 'ROUTE_NOT_FOUND' } });
  });
  return server;
}

const sources = readdirSync(CONSOLE_ASSETS).filter((name) => name.endsWith('.js'));

describe('console routes', () => {
  it.each(['/console', '/console/'])('serves the page at %s under a strict CSP, never framed', async (path) => {
    const response = await request(app()).get(path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = response.headers['content-security-policy'] as string;
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.text).toContain('<script type="module" src="/console/app.js"></script>');
  });

  it('serves every module the page loads, as JavaScript, revalidated on each load', async () => {
    const imported = new Set(['app.js']);
    for (const name of sources) {
      for (const match of readFileSync(new URL(name, CONSOLE_ASSETS), 'utf8').matchAll(/from '\.\/([a-z-]+\.js)'/g)) imported.add(match[1] ?? '');
    }
    for (const name of imported) {
      expect(sources, `${name} is imported but missing`).toContain(name);
      const response = await request(app()).get(`/console/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers.etag).toBeDefined();
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
    const css = await request(app()).get('/console/console.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('serves the Chart.js UMD build from node_modules, cached for a day', async () => {
    const response = await request(app()).get('/console/vendor/chart.umd.min.js');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    expect(response.text.length).toBe(readFileSync(chartLibraryPath(), 'utf8').length);
    expect(response.text).toMatch(/Chart\.js v4\./);
  });

  it('serves nothing outside web/console and lets other /console routes through', async () => {
    for (const path of ['/console/../package.json', '/console/%2e%2e/package.json', '/console/..%2fpackage.json', '/console/.env', '/console/nope.js', '/console/vendor/chart.js']) {
      const response = await request(app()).get(path);
      expect(response.status, path).toBe(404);
      expect(response.text).not.toContain('"dependencies"');
    }
    const behind = await request(app()).post('/console/api/session').send({});
    expect(behind.status).toBe(201);
    expect(behind.body).toEqual({ behind: true });
  });

  it('has no inline script, style attribute, inline handler or innerHTML anywhere in the console', () => {
    const page = readFileSync(new URL('index.html', CONSOLE_ASSETS), 'utf8');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/\sstyle=/);
    expect(page).not.toMatch(/\son[a-z]+=/);
    expect(page).not.toMatch(/<style/);
    for (const name of sources) {
      const code = readFileSync(new URL(name, CONSOLE_ASSETS), 'utf8');
      expect(code, name).not.toMatch(/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function/);
      expect(code, name).not.toMatch(/setAttribute\('style'/);
    }
  });
});
