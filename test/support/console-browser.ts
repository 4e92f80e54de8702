/**
 * Driving the staff console in Debian's Chromium (playwright-core): the browser's launch options, a staff member
 * with a password, signing in through the page (username + password, or an API key), the CSRF token of a page's
 * session, and a watch on every page error, console error and Content-Security-Policy violation, which the tests
 * expect to stay empty.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { hashPassword } from '../../src/shared/password.js';
import { setStaffPassword } from '../../src/store/index.js';
import type { StaffRole } from '../../src/contracts/index.js';
import type { Harness } from './ombuds-harness.js';

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Asia/Shanghai' };
export const TABLET: BrowserContextOptions = { viewport: { width: 768, height: 1024 }, locale: 'en-GB', timezoneId: 'Asia/Shanghai', hasTouch: true };

export interface ConsoleStaff {
  id: string;
  username: string;
  key: string;
  password: string;
}

/** A staff member with an API key and a password (12+ characters, as `ombuds staff password` demands). */
export async function addConsoleStaff(harness: Harness, username: string, role: StaffRole, teams: string[]): Promise<ConsoleStaff> {
  const { id, key } = await harness.addStaff(username, role, teams);
  const password = `pw-${randomUUID()}`;
  const updated = await setStaffPassword(harness.ombuds.database, username, await hashPassword(password), new Date());
  if (updated !== id) throw new Error(`could not set the password of ${username}`);
  return { id, username, key, password };
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Page errors, console errors (but the browser's notes of 4xx answers) and CSP violations seen so far. */
  problems: string[];
}

/** A new context and page whose errors and CSP violations are collected. */
export async function openConsolePage(browser: Browser, options: BrowserContextOptions = DESKTOP): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The browser logs every 4xx answer; the console expects some (401 before sign-in, a refused action) and shows them.
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (window as unknown as { reportCspViolation: (text: string) => Promise<void> }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { page, context, problems };
}

/** Signs in on the console's page with a username and password and waits for the queue. */
export async function signInWithPassword(page: Page, baseUrl: string, staff: ConsoleStaff): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('Username').fill(staff.username);
  await page.getByLabel('Password', { exact: true }).fill(staff.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
}

/** Signs in on the console's page with a staff API key and waits for the queue. */
export async function signInWithKey(page: Page, baseUrl: string, staff: ConsoleStaff): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('API key').fill(staff.key);
  await page.getByRole('button', { name: 'Sign in with the key' }).click();
  await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
}

/** The CSRF token of the page's session (as the console itself gets it). */
export async function csrfTokenOf(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const response = await fetch('/console/api/session', { credentials: 'same-origin' });
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  });
}

/** A request made from the page with its cookie: status and error code. */
export async function fetchFromPage(page: Page, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; code: string | null }> {
  return page.evaluate(
    async ({ path, init }) => {
      const response = await fetch(path, {
        method: init.method ?? 'GET',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
      return { status: response.status, code: body?.error?.code ?? null };
    },
    { path, init },
  );
}

/** Whether the page is wider than its viewport (something does not fit). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
