/**
 * The web chat in a real browser: Debian's Chromium driven by playwright-core at a phone-sized viewport (360×740),
 * against a listening Ombuds (embedded configuration). A customer types a complaint (sent with the Enter key),
 * answers whatever the bot asks — a "yes" quick reply first, else "skip", else the first one; a free-text answer
 * when there are none — until a message with a CMP reference appears. The page is checked for what assistive
 * technology relies on (a polite live log, a labelled input, quick replies as real buttons) and for fitting the
 * screen; a reload resumes the session and shows the conversation once more; a screenshot is saved to
 * test-artifacts/webchat.png. Then a bank page on another origin embeds
 * /chat/widget.js: its launcher opens the chat in a frame, in Chinese, and Escape closes it again.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../support/chat-driver.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';
import { freePort } from '../support/private-redis.js';

const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const COMPLAINT = 'My card was charged twice for ¥300 at a supermarket yesterday';
const REFERENCE = /CMP-\d{4}-\d{6,}/;

/** A short answer to a question asked without quick replies. */
function answerTo(question: string): string {
  if (/how much|amount/i.test(question)) return '300 CNY';
  if (/when did|when was/i.test(question)) return 'yesterday';
  if (/reach you|phone|e-mail/i.test(question)) return 'alex.customer@example.com';
  if (/put this right|like us to do/i.test(question)) return 'A refund of the second charge';
  if (/which product|service/i.test(question)) return 'My debit card';
  if (/what happened/i.test(question)) return COMPLAINT;
  return 'yes';
}

async function sessionIdOf(page: Page | Frame): Promise<string> {
  const stored = await page.evaluate(() => window.sessionStorage.getItem('ombuds.webchat.session'));
  return (JSON.parse(stored ?? '{}') as { sessionId?: string }).sessionId ?? '';
}

/** Waits until Ombuds has settled and the page shows every message it has for this session. */
async function caughtUp(harness: Harness, page: Page | Frame, sessionId: string): Promise<number> {
  await settle(harness);
  const rows = await harness.ombuds.database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND direction = 'outbound' AND status <> 'failed' AND conversation_key = $1`,
    [sessionId],
  );
  const expected = rows.rows[0]?.n ?? 0;
  await page.waitForFunction((count) => document.querySelectorAll('.message-bot, .message-staff').length >= count, expected, { timeout: 30_000 });
  return expected;
}

describe('web chat in Chromium on a phone-sized screen', () => {
  let harness: Harness;
  let baseUrl: string;
  let browser: Browser;
  let host: Server;
  let hostUrl: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // The bank's page is another origin, allowed to frame the chat.
    const port = await freePort();
    hostUrl = `http://127.0.0.1:${String(port)}`;
    harness = await startHarness('embedded', { env: { WEBCHAT_ALLOWED_ORIGINS: hostUrl, RETRY_BASE_MS: '10', RETRY_MAX_MS: '200' } });
    baseUrl = await harness.ombuds.listen(0, '127.0.0.1');
    host = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Example Bank</title>` +
          `<script src="${baseUrl}/chat/widget.js" data-lang="zh" data-title="在线投诉" defer></script></head>` +
          `<body><h1>Example Bank</h1><p>Welcome.</p></body></html>`,
      );
    });
    await new Promise<void>((resolve) => host.listen(port, '127.0.0.1', resolve));
    browser = await chromium.launch(CHROMIUM);
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await new Promise((resolve) => host.close(resolve));
    await harness.close();
  });

  it('takes a complaint typed on the keyboard, asks its questions and gives the reference', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${baseUrl}/chat?lang=en`);

    // What assistive technology relies on.
    const log = page.getByRole('log');
    expect(await log.count()).toBe(1);
    expect(await log.getAttribute('aria-live')).toBe('polite');
    const input = page.getByLabel('Your message');
    expect(await input.count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(1);

    // Keyboard only: focus the field, type, Enter sends.
    await input.focus();
    await page.keyboard.type(COMPLAINT);
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText(COMPLAINT).waitFor();
    expect(await input.inputValue()).toBe('');
    const sessionId = await sessionIdOf(page);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    let reference: string | undefined;
    const answers: string[] = [];
    for (let turn = 0; turn < 15 && reference === undefined; turn += 1) {
      await caughtUp(harness, page, sessionId);
      const texts = await page.locator('.message-bot .message-text, .message-staff .message-text').allTextContents();
      reference = REFERENCE.exec(texts.join('\n'))?.[0];
      if (reference !== undefined) break;
      const before = texts.length;
      const offered = page.locator('.quick-replies button');
      const count = await offered.count();
      if (count > 0) {
        const values = await offered.evaluateAll((buttons) => buttons.map((button) => (button as HTMLButtonElement).dataset.value ?? ''));
        const choice = Math.max(0, values.indexOf('yes') !== -1 ? values.indexOf('yes') : values.indexOf('skip'));
        answers.push(`[${values[choice] ?? ''}]`);
        await offered.nth(choice).click();
      } else {
        const answer = answerTo(texts.at(-1) ?? '');
        answers.push(answer);
        await input.fill(answer);
        await input.press('Enter');
      }
      await page.waitForFunction((count) => document.querySelectorAll('.message-bot, .message-staff').length > count, before, { timeout: 30_000 });
    }
    expect(reference, `answers given: ${answers.join(' | ')}`).toBeDefined();
    await page.getByRole('log').getByText(reference ?? 'CMP-').first().waitFor();

    // Every message shown once; every reply acknowledged as delivered.
    const ids = await harness.ombuds.database.query<{ status: string }>(
      `SELECT status FROM messages WHERE channel = 'webchat' AND direction = 'outbound' AND conversation_key = $1`,
      [sessionId],
    );
    await expect.poll(async () => {
      const statuses = await harness.ombuds.database.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND direction = 'outbound' AND conversation_key = $1 AND status <> 'delivered'`,
        [sessionId],
      );
      return statuses.rows[0]?.n;
    }, { timeout: 15_000 }).toBe(0);
    expect(await page.locator('.message-bot, .message-staff').count()).toBe(ids.rows.length);

    // A reload resumes the session (sessionStorage) and shows the conversation again from the stream, each message once.
    await page.reload();
    await page.getByRole('log').getByText(reference ?? 'CMP-').first().waitFor();
    await page.waitForFunction((count) => document.querySelectorAll('.message-bot, .message-staff').length >= count, ids.rows.length);
    expect(await sessionIdOf(page)).toBe(sessionId);
    expect(await page.locator('.message-bot, .message-staff').count()).toBe(ids.rows.length);
    const inbound = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND direction = 'inbound' AND conversation_key = $1`, [sessionId]);
    expect(await page.locator('.message-customer').count()).toBe(inbound.rows[0]?.n);

    // Fits a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(problems).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}webchat.png` });
  });

  it('opens from a bank page on another origin through the embeddable script, in Chinese, and closes with Escape', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(hostUrl);
    const launcher = page.getByRole('button', { name: '打开在线投诉' });
    await launcher.click();
    const frameElement = page.locator('#ombuds-chat-panel iframe');
    await frameElement.waitFor();
    expect(await frameElement.getAttribute('title')).toBe('在线投诉');
    const frame = await (await frameElement.elementHandle()).contentFrame();
    if (!frame) throw new Error('the chat frame did not load');
    await frame.getByRole('heading', { name: '在线投诉' }).waitFor();
    expect(await frame.getByRole('log').count()).toBe(1);

    const input = frame.getByLabel('您的消息');
    await input.fill('信用卡账单上同一笔消费入账了两次，多扣了300元');
    await input.press('Enter');
    const sessionId = await sessionIdOf(frame);
    await caughtUp(harness, frame, sessionId);
    const reply = (await frame.locator('.message-bot .message-text').first().textContent()) ?? '';
    expect(reply).toMatch(/[\u4e00-\u9fff]/);

    await input.press('Escape');
    await page.locator('#ombuds-chat-panel').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ombuds-chat-launcher');
    await settle(harness);
  });
});
