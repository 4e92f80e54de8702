/**
 * The staff console (issue 8) in Debian's Chromium, driven by playwright-core, against a listening Ombuds on
 * PostgreSQL + Redis with a local fake of WeChat's server API. The scenario, one step a test, in order:
 * an agent signs in with a password and watches the team queue; a critical WeChat complaint (fraud in progress,
 * its text carrying `<script>` and an `<img onerror>`) appears live at the top, announced to screen readers; the
 * agent claims it, reads the timeline (the markup shown as text, nothing run), replies from a Chinese template and
 * proposes a resolution; an agent can neither approve nor post without the CSRF token; a supervisor signs in with
 * an API key, approves and sends the final response; the customer's survey answer on WeChat shows on the dashboard;
 * a branch clerk, working in Chinese on a tablet, records a walk-in complaint dated 13 days back and its deadline
 * runs from that date (amber in the queue, past its warning point; a letter 20 days old is red); a hotline call shows turn by turn with its speakers; a
 * supervisor assigns the waiting complaint to the agent and extends its deadline (CN NFRA `complex`). No page or API call works without a session. Screenshots of the queue, the complaint page,
 * the dashboard and the intake form go to test-artifacts/console-*.png; no page error, console error or CSP
 * violation may occur anywhere.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionResult, ComplaintView } from '../../src/contracts/index.js';
import { dueAfter } from '../../src/handling/index.js';
import { referenceIn, settle } from '../support/chat-driver.js';
import {
  addConsoleStaff,
  CHROMIUM,
  csrfTokenOf,
  DESKTOP,
  fetchFromPage,
  openConsolePage,
  overflowsHorizontally,
  signInWithKey,
  signInWithPassword,
  TABLET,
  type ConsoleStaff,
  type WatchedPage,
} from '../support/console-browser.js';
import { signedWeChatPost, startFakeWeChat, wechatTextXml, type FakeWeChat } from '../support/fake-wechat.js';
import { readJsonFixture } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const TOKEN = 'ombudsConsoleWeChatToken';
const APP = { appId: 'wx5c1a9e3b7d2f4a60', appSecret: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' };
const TEAMS = ['cards', 'accounts', 'lending', 'payments', 'digital', 'collections', 'wealth', 'general'];
const OPEN_ID = 'oWxConsole0001e2eFollowerOpen';
const MARKUP = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const CRITICAL_TEXT = `有人冒充银行客服，正在用我的卡转账，还让我把验证码念给他们，快帮我止付！${MARKUP}`;
const LIVE_TIMEOUT_MS = 20_000;
/** The date in Shanghai `days` days ago (YYYY-MM-DD). */
function shanghaiDateDaysAgo(days: number): string {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A 1×1 PNG: the "scanned letter" a clerk attaches. */
const SCANNED_LETTER = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('staff console in Chromium (PostgreSQL + Redis)', () => {
  let harness: Harness;
  let wechat: FakeWeChat;
  let baseUrl: string;
  let browser: Browser;
  let agent: ConsoleStaff;
  let supervisor: ConsoleStaff;
  let clerk: ConsoleStaff;
  let agentPage: WatchedPage;
  let otherReference: string;
  let criticalReference: string;
  let criticalId: string;
  let nextMsgId = 7_400_000_000_000_000_000n;
  const pages: WatchedPage[] = [];

  const sendWeChat = async (text: string) => {
    nextMsgId += 1n;
    const { query, body } = signedWeChatPost(wechatTextXml({ openId: OPEN_ID, msgId: nextMsgId.toString(), text }), { token: TOKEN });
    const response = await request(harness.ombuds.app).post(`/webhooks/wechat?${query}`).set('Content-Type', 'text/xml').send(body.toString('utf8'));
    expect(response.status).toBe(200);
  };
  const view = async (id: string) => {
    const response = await request(harness.ombuds.app).get(`/v1/complaints/${id}`).set('Authorization', `Bearer ${supervisor.key}`);
    expect(response.status).toBe(200);
    return ComplaintView.parse(response.body);
  };
  const open = async (options = DESKTOP) => {
    const watched = await openConsolePage(browser, options);
    pages.push(watched);
    return watched;
  };

  beforeAll(async () => {
    wechat = await startFakeWeChat(APP);
    harness = await startHarness('production', {
      env: {
        WECHAT_TOKEN: TOKEN,
        WECHAT_APP_ID: APP.appId,
        WECHAT_APP_SECRET: APP.appSecret,
        WECHAT_API_ROOT: wechat.apiRoot,
        TIMEZONE: 'Asia/Shanghai',
        REGIME: 'cn_nfra',
        APPROVAL_REDRESS_LIMIT: '500',
        RETRY_BASE_MS: '10',
        RETRY_MAX_MS: '200',
        OUTBOUND_TIMEOUT_MS: '3000',
      },
    });
    baseUrl = await harness.ombuds.listen(0, '127.0.0.1');
    agent = await addConsoleStaff(harness, 'ann-agent', 'agent', TEAMS);
    supervisor = await addConsoleStaff(harness, 'sam-supervisor', 'supervisor', []);
    clerk = await addConsoleStaff(harness, 'bo-branch', 'agent', TEAMS);
    browser = await chromium.launch(CHROMIUM);
    await mkdir(ARTIFACTS, { recursive: true });

    // A complaint already waiting, less urgent than the one to come.
    const fixture = readJsonFixture('api/api-1-zh-card-double-charge.json') as object;
    const created = await request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send(fixture);
    expect(created.status).toBe(202);
    otherReference = created.body.complaintReference as string;
    await settle(harness);
  });
  afterAll(async () => {
    for (const watched of pages) await watched.context.close();
    await browser.close();
    await harness.close();
    await wechat.close();
  });

  it('answers nothing without a session: the page shows sign-in, the API 401', async () => {
    const { page, problems } = await open();
    await page.goto(`${baseUrl}/console#/dashboard`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to the staff console' }).waitFor();
    expect(await page.locator('#nav').isHidden()).toBe(true);
    for (const path of ['/v1/staff/queue', '/v1/complaints/' + otherReference, '/v1/reports/dashboard?from=2026-01-01&to=2026-01-31', '/v1/templates?language=en', '/console/api/session']) {
      expect(await fetchFromPage(page, path), path).toMatchObject({ status: 401 });
    }
    expect(await fetchFromPage(page, '/v1/staff/queue/claim', { method: 'POST', body: {} })).toMatchObject({ status: 401 });

    // A wrong password is refused with the API's code, and the password field is emptied.
    await page.getByLabel('Username').fill(agent.username);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'INVALID_CREDENTIALS' }).waitFor();
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(problems).toEqual([]);
  });

  it('an agent signs in and sees the critical WeChat complaint arrive live at the top of the team queue', async () => {
    agentPage = await open();
    const { page } = agentPage;
    await signInWithPassword(page, baseUrl, agent);
    expect(await page.locator('#who').textContent()).toBe('ann-agent · Agent');
    await page.locator(`.queue-item[data-reference="${otherReference}"]`).waitFor();
    await page.locator('.live-status.live-on').waitFor({ timeout: LIVE_TIMEOUT_MS });

    // The session outlives a reload; on a fresh page the first Tab reaches the skip link, which moves focus on.
    await page.reload();
    await page.locator(`.queue-item[data-reference="${otherReference}"]`).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    await sendWeChat(CRITICAL_TEXT);
    await settle(harness);
    criticalReference = referenceIn(wechat.delivered().filter((message) => message.touser === OPEN_ID).map((message) => ({ text: message.content, quickReplies: [] }))) ?? '';
    expect(criticalReference).toMatch(/^CMP-\d{4}-\d{6,}$/);

    // No reload: the stream's event makes the page re-read the queue (the page's own poll is every 60 s).
    const first = page.locator('.queue-item').first();
    await expect.poll(() => first.getAttribute('data-reference'), { timeout: LIVE_TIMEOUT_MS }).toBe(criticalReference);
    expect(await first.getAttribute('class')).toContain('urgency-critical');
    expect(await first.locator('.urgency-badge').textContent()).toBe('Critical');
    expect(await first.locator('.channel').getAttribute('title')).toBe('WeChat');
    expect(await first.locator('.channel-name').textContent()).toBe('WeChat');
    expect(await first.locator('.badge', { hasText: 'Fraud' }).count()).toBe(1);
    expect(await first.locator('.queue-clock').getAttribute('class')).toContain('clock-ok');
    expect(await first.locator('.clock-left').textContent()).toMatch(/left$/);
    await expect.poll(() => page.locator('#announcer').textContent()).toMatch(/1 new ticket/);
    expect(await page.locator(`.queue-item[data-reference="${otherReference}"]`).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}console-queue.png`, fullPage: true });

    // Filters: the channel narrows the queue to the WeChat complaint; clearing brings the other back.
    await page.getByLabel('Channel').selectOption('wechat');
    await expect.poll(() => page.locator('.queue-item').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('.queue-item').count()).toBe(2);
  });

  it('the agent claims it and reads the timeline: the customer\'s markup is text, nothing runs', async () => {
    const { page } = agentPage;
    await page.getByRole('button', { name: 'Claim next' }).click();
    await page.getByRole('heading', { level: 1, name: criticalReference }).waitFor();
    criticalId = decodeURIComponent(new URL(page.url()).hash.replace('#/complaint/', ''));
    expect((await view(criticalId)).state?.assignee).toBe(agent.id);

    const customer = page.locator('.timeline-entry.entry-customer').first();
    await customer.waitFor();
    expect(await customer.locator('.entry-who').textContent()).toBe('Customer');
    expect(await customer.locator('.entry-text').textContent()).toContain('<script>window.__pwned = 1</script>');
    expect(await customer.locator('.entry-text').textContent()).toContain('onerror=');
    expect(await page.locator('.timeline-entry.entry-bot').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);

    // The record says why: fraud set by a rule, with the words that triggered it; the contact is masked.
    const fraud = page.locator('.flag-reasons li', { hasText: 'Fraud' }).first();
    expect(await fraud.locator('.badge', { hasText: 'Rule' }).count()).toBe(1);
    expect(await fraud.locator('.matched').count()).toBeGreaterThan(0);
    const contact = page.locator('.contact-value').first();
    expect(await contact.textContent()).not.toBe(OPEN_ID);
    await page.getByRole('button', { name: 'Reveal contacts' }).click();
    await page.locator('.contact-revealed', { hasText: OPEN_ID }).waitFor();
    expect((await view(criticalId)).events.map((event) => event.type)).toContain('contact.revealed');
    expect(await page.locator('table tr', { hasText: 'China NFRA' }).count()).toBeGreaterThan(0);
  });

  it('the agent replies from a Chinese template and proposes a resolution; approval is not theirs to give', async () => {
    const { page, problems } = agentPage;
    const sentBefore = wechat.delivered().filter((message) => message.touser === OPEN_ID).length;

    await page.locator('details[data-action="reply"] > summary').click();
    await page.locator('details[data-action="reply"]').getByLabel('Template').selectOption({ label: '进展告知' });
    const message = page.locator('details[data-action="reply"]').getByLabel('Message');
    expect(await message.inputValue()).toContain(criticalReference);
    await message.press('End');
    await message.pressSequentially('（坐席补充）我们已为您止付。');
    await page.locator('details[data-action="reply"]').getByRole('button', { name: 'Reply to the customer' }).click();
    await page.locator('.page-status').filter({ hasText: 'Reply to the customer: done.' }).waitFor();
    await settle(harness);
    const sent = wechat.delivered().filter((message) => message.touser === OPEN_ID).slice(sentBefore);
    expect(sent.map((message) => message.content).join('\n')).toContain('我们已为您止付');
    await page.locator('.timeline-entry.entry-agent', { hasText: '我们已为您止付' }).waitFor();

    // Proposing needs an investigation: the form appears only once it has started.
    expect(await page.locator('[data-action="propose_resolution"]').count()).toBe(0);
    await page.locator('[data-action="start_investigation"]').getByRole('button', { name: 'Start investigation' }).click();
    await page.locator('.page-status').filter({ hasText: 'Start investigation: done.' }).waitFor();
    await page.locator('details[data-action="propose_resolution"] > summary').click();
    const propose = page.locator('details[data-action="propose_resolution"]');
    await propose.getByLabel('Template').selectOption({ label: '投诉成立并予以补偿' });
    await propose.getByLabel('Proposed resolution').press('End');
    await propose.getByLabel('Proposed resolution').pressSequentially('退还被盗刷的款项。');
    await propose.getByLabel('Redress amount').fill('600');
    await propose.getByLabel('Currency').fill('CNY');
    // A lower-case currency is refused by the browser before any request.
    await propose.getByLabel('Currency').fill('cny');
    await propose.getByRole('button', { name: 'Propose a resolution' }).click();
    expect(await propose.getByLabel('Currency').evaluate((input) => (input as HTMLInputElement).validity.valid)).toBe(false);
    await propose.getByLabel('Currency').fill('CNY');
    await propose.getByRole('button', { name: 'Propose a resolution' }).click();
    await page.locator('.page-status').filter({ hasText: 'Propose a resolution: done.' }).waitFor();
    const proposed = await view(criticalId);
    expect(proposed.stage).toBe('resolution_proposed');
    expect(proposed.state?.resolution).toMatchObject({ status: 'proposed', requiresApproval: true, redress: { value: 600, currency: 'CNY' } });
    expect(await page.locator('.resolution-status').textContent()).toContain('Proposed, awaiting approval');

    // The agent is offered no approval, and the API refuses one; a POST without the CSRF token is refused first.
    expect(await page.locator('[data-action="approve_resolution"]').count()).toBe(0);
    const token = await csrfTokenOf(page);
    const withoutToken = await fetchFromPage(page, `/v1/complaints/${criticalId}/actions`, { method: 'POST', body: { type: 'add_note', text: 'no token' } });
    expect(withoutToken).toEqual({ status: 403, code: 'CSRF_INVALID' });
    const wrongToken = await fetchFromPage(page, `/v1/complaints/${criticalId}/actions`, { method: 'POST', body: { type: 'add_note', text: 'wrong token' }, headers: { 'X-CSRF-Token': `${token.slice(0, -2)}xx` } });
    expect(wrongToken).toEqual({ status: 403, code: 'CSRF_INVALID' });
    const approve = await fetchFromPage(page, `/v1/complaints/${criticalId}/actions`, { method: 'POST', body: { type: 'approve_resolution' }, headers: { 'X-CSRF-Token': token } });
    expect(approve).toEqual({ status: 403, code: 'FORBIDDEN' });
    const after = await view(criticalId);
    expect(after.events.filter((event) => event.type === 'note.added')).toHaveLength(0);
    expect(after.state?.resolution?.status).toBe('proposed');
    // An agent has no dashboard either.
    expect(await page.getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
    expect(await fetchFromPage(page, '/v1/reports/dashboard?from=2026-01-01&to=2026-01-31')).toMatchObject({ status: 403 });

    await page.screenshot({ path: `${ARTIFACTS}console-complaint.png`, fullPage: true });

    // Back to the queue: with the keyboard, "My queue" holds the claimed ticket, and leads back to it.
    await page.getByRole('link', { name: 'Back to the queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    await page.getByRole('tab', { name: 'Team queue' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('tab', { name: 'My queue' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-mine');
    await expect.poll(() => page.locator('.queue-item').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.reference))).toEqual([criticalReference]);
    await page.locator(`.queue-item[data-reference="${criticalReference}"] a.queue-reference`).press('Enter');
    await page.getByRole('heading', { level: 1, name: criticalReference }).waitFor();
    expect(problems).toEqual([]);
  });

  it('a supervisor approves it and sends the final response; the survey answer shows on the dashboard', async () => {
    const { page, problems } = await open();
    await signInWithKey(page, baseUrl, supervisor);
    await page.goto(`${baseUrl}/console#/complaint/${criticalId}`);
    await page.getByRole('heading', { level: 1, name: criticalReference }).waitFor();

    await page.locator('details[data-action="approve_resolution"] > summary').click();
    await page.locator('details[data-action="approve_resolution"]').getByRole('button', { name: 'Approve the resolution' }).click();
    await page.locator('.page-status').filter({ hasText: 'Approve the resolution: done.' }).waitFor();
    expect((await view(criticalId)).state?.resolution).toMatchObject({ status: 'approved', decidedBy: supervisor.id });

    await page.locator('details[data-action="send_final_response"] > summary').click();
    await page.locator('details[data-action="send_final_response"]').getByRole('button', { name: 'Send the final response' }).click();
    await page.locator('.page-status').filter({ hasText: 'Send the final response: done.' }).waitFor();
    await settle(harness);
    const texts = wechat.delivered().filter((message) => message.touser === OPEN_ID).map((message) => message.content);
    expect(texts.join('\n')).toContain('12378');

    // The agent's page still offers what the complaint allowed before: the API refuses it, and the page says why.
    const stale = agentPage.page.locator('details[data-action="escalate"]');
    await stale.locator('summary').click();
    await stale.getByLabel('Reason').fill('customer called again');
    await stale.getByRole('button', { name: 'Escalate' }).click();
    const refusal = stale.getByRole('alert');
    await refusal.filter({ hasText: 'ILLEGAL_TRANSITION' }).waitFor();
    expect(await refusal.locator('li').allTextContents()).toContain('allowedActions: reopen');
    expect((await view(criticalId)).stage).toBe('responded');

    // The customer answers the survey on WeChat.
    await sendWeChat('5 非常满意');
    await settle(harness);
    await expect.poll(async () => (await view(criticalId)).stage, { timeout: 20_000 }).toBe('closed');
    const answered = ActionResult.parse((await view(criticalId)).state);
    expect(answered.allowedActions).toEqual(['reopen']);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Supervision dashboard' }).waitFor();
    const surveyRow = page.locator('.satisfaction-row').first();
    await surveyRow.waitFor();
    expect(await surveyRow.locator('td').nth(1).textContent()).toBe('1');
    expect(await surveyRow.locator('.satisfaction-score').textContent()).toBe('5');
    expect(await page.locator('#surveys-answered').textContent()).toBe('1');
    for (const id of ['chart-volumes', 'chart-within', 'chart-satisfaction', 'chart-stages']) {
      expect(await page.locator(`#${id}`).evaluate((canvas) => (canvas as HTMLCanvasElement).width), id).toBeGreaterThan(0);
    }
    expect(await page.evaluate(() => typeof (window as unknown as { Chart?: unknown }).Chart)).toBe('function');
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csv).toMatch(/^\/v1\/reports\/dashboard\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&interval=day&format=csv$/);
    const download = await page.evaluate(async (href) => {
      const response = await fetch(href ?? '', { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type') };
    }, csv);
    expect(download).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/csv/) as unknown });
    expect(await page.getByRole('link', { name: 'Queue health (Bull Board)' }).getAttribute('href')).toBe('/admin/queues');
    await page.screenshot({ path: `${ARTIFACTS}console-dashboard.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows a hotline call turn by turn, each turn with its speaker', async () => {
    const call = readFileSync(new URL('../../fixtures/transcripts/plain-text/zh-bank-hotline-2-plain.txt', import.meta.url));
    const imported = await request(harness.ombuds.app).post('/v1/transcripts').set('Authorization', `Bearer ${supervisor.key}`).set('Content-Type', 'text/plain').send(call.toString('utf8'));
    expect(imported.status).toBe(200);
    const reference = (imported.body as { results: { reference?: string }[] }).results[0]?.reference ?? '';
    await settle(harness);
    const { page, problems } = await open();
    await signInWithKey(page, baseUrl, supervisor);
    await page.goto(`${baseUrl}/console#/complaint/${reference}`);
    await page.getByRole('heading', { level: 1, name: reference }).waitFor();
    const turns = page.locator('.timeline-entry.entry-customer .transcript .turn');
    await turns.first().waitFor();
    const speakers = await turns.locator('.turn-speaker').allTextContents();
    expect(new Set(speakers)).toEqual(new Set(['Agent', 'Customer']));
    expect((await page.locator('.turn.speaker-customer .turn-text').allTextContents()).join('\n')).toContain('柜员机老是故障');
    expect((await page.locator('.turn.speaker-agent .turn-text').first().textContent()) ?? '').toContain('请问有什么可以帮您');
    expect(await page.locator('.timeline-entry .channel-name').first().textContent()).toBe('Hotline call');
    expect(problems).toEqual([]);
  });

  it('a branch clerk, in Chinese on a tablet, records a walk-in complaint dated 13 days back; its clock starts then', async () => {
    const { page, problems } = await open(TABLET);
    await signInWithPassword(page, baseUrl, clerk);
    await page.getByLabel('Language', { exact: true }).selectOption('zh');
    await page.getByRole('link', { name: '登记投诉' }).click();
    await page.getByRole('heading', { level: 1, name: '登记投诉' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    // Thirteen days ago at 10:30 in Shanghai (the browser's and the bank's time zone): past the clock's warning
    // point (0.8 of its 15 days), not yet due.
    const day = shanghaiDateDaysAgo(13);
    const receivedAt = new Date(`${day}T10:30:00+08:00`);
    await page.getByLabel('渠道', { exact: true }).selectOption('branch');
    await page.locator('input[name="receivedAt"]').fill(`${day}T10:30`);
    await page.getByLabel('来源编号').fill('BR-0451');
    await page.getByLabel('客户姓名').fill('王芳');
    await page.getByLabel('电话', { exact: true }).fill('13800138000');
    await page.getByLabel('客户同意我们就此投诉通过上述方式联系').check();
    // Without the data-processing notice, the browser refuses the form before any request.
    await page.getByLabel('客户陈述').fill('客户到网点反映：上月信用卡被收取了未经告知的年费300元，要求退还。');
    // The customer's letter, scanned: read in the browser and sent base64-encoded.
    await page.getByLabel('附件').setInputFiles({ name: 'letter.png', mimeType: 'image/png', buffer: SCANNED_LETTER });
    await page.getByRole('button', { name: '登记投诉' }).click();
    expect(await page.locator('input[name="consentDataProcessing"]').evaluate((input) => (input as HTMLInputElement).validity.valid)).toBe(false);
    await page.getByLabel('已告知客户其个人信息的处理方式（必选）').check();
    await page.getByRole('button', { name: '登记投诉' }).click();

    const created = page.locator('.created-reference');
    await created.waitFor();
    const reference = (await created.textContent()) ?? '';
    expect(reference).toMatch(/^CMP-\d{4}-\d{6,}$/);
    const id = decodeURIComponent(((await created.getAttribute('href')) ?? '').replace('#/complaint/', ''));
    const complaint = await view(id);
    const clock = complaint.state?.deadlines.find((deadline) => deadline.clock === 'final_response');
    expect(new Date(clock?.startsAt ?? '').getTime()).toBe(receivedAt.getTime());
    expect(clock?.dueAt).toBe(dueAfter(receivedAt, 15, 'calendarDay', 'Asia/Shanghai', 'CN').toISOString());
    expect(await page.locator('.created-due').getAttribute('data-due')).toBe(complaint.state?.dueAt);
    expect(complaint.record?.channels).toEqual(['branch']);
    const stored = await request(harness.ombuds.app).get(`/v1/complaints/${id}/attachments`).set('Authorization', `Bearer ${supervisor.key}`);
    expect(stored.body.items).toMatchObject([{ name: 'letter.png', contentType: 'image/png', size: SCANNED_LETTER.length }]);
    await page.screenshot({ path: `${ARTIFACTS}console-intake.png`, fullPage: true });

    // The language is remembered; the complaint page fits a tablet.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '登记投诉' }).waitFor();
    await page.goto(`${baseUrl}/console#/complaint/${id}`);
    await page.getByRole('heading', { level: 1, name: reference }).waitFor();
    expect(await page.locator('table tr', { hasText: '国家金融监督管理总局' }).count()).toBeGreaterThan(0);
    const letter = page.locator('.attachments a', { hasText: 'letter.png' });
    const fetched = await page.evaluate(async (href) => {
      const response = await fetch(href ?? '', { credentials: 'same-origin' });
      return { status: response.status, size: (await response.arrayBuffer()).byteLength };
    }, await letter.getAttribute('href'));
    expect(fetched).toEqual({ status: 200, size: SCANNED_LETTER.length });
    expect(await overflowsHorizontally(page)).toBe(false);
    // A letter received 20 days ago is past its due date: the queue shows it red, the walk-in amber.
    const late = await request(harness.ombuds.app)
      .post('/v1/complaints')
      .set('Authorization', `Bearer ${clerk.key}`)
      .send({
        channel: 'letter',
        receivedAt: new Date(`${shanghaiDateDaysAgo(20)}T09:00:00+08:00`).toISOString(),
        customer: { name: '陈先生', language: 'zh' },
        consent: { contact: false, dataProcessing: true },
        text: '来信投诉：房贷提前还款被收取了合同中没有约定的违约金。',
      });
    expect(late.status).toBe(201);
    await page.getByRole('link', { name: '返回队列' }).click();
    await page.getByRole('heading', { level: 1, name: '工单队列' }).waitFor();
    const walkIn = page.locator(`.queue-item[data-reference="${reference}"] .queue-clock`);
    const lateClock = page.locator(`.queue-item[data-reference="${String(late.body.reference)}"] .queue-clock`);
    await lateClock.waitFor();
    expect(await walkIn.getAttribute('class')).toContain('clock-warning');
    expect(await walkIn.locator('.clock-left').textContent()).toMatch(/^剩余 /);
    expect(await lateClock.getAttribute('class')).toContain('clock-breached');
    expect(await lateClock.locator('.clock-left').textContent()).toMatch(/^已超时 /);
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}console-queue-tablet-zh.png`, fullPage: true });

    // Signing out ends the session on the server: the page is back at sign-in and the cookie opens nothing.
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('heading', { level: 1, name: '登录员工工作台' }).waitFor();
    expect(await fetchFromPage(page, '/v1/staff/queue')).toMatchObject({ status: 401 });
    expect(problems).toEqual([]);
  });

  it('a supervisor assigns the waiting complaint to the agent and extends its deadline as a complex case', async () => {
    const { page, problems } = await open();
    const before = await view(otherReference);
    const final = before.state?.deadlines.find((deadline) => deadline.clock === 'final_response' && deadline.status === 'open');
    expect(final?.extensions).toEqual(['complex', 'senior_approval']);
    // A clock that is no longer running (the critical complaint was answered) offers no extension.
    expect((await view(criticalId)).state?.deadlines.map((deadline) => [deadline.status, deadline.extensions])).toEqual([['met', []]]);
    await signInWithKey(page, baseUrl, supervisor);
    await page.goto(`${baseUrl}/console#/complaint/${otherReference}`);
    await page.getByRole('heading', { level: 1, name: otherReference }).waitFor();

    // The staff of the complaint's team, from GET /v1/staff/members; the supervisor assigns it to the agent.
    const assign = page.locator('details[data-action="assign"]');
    await assign.locator('summary').click();
    const assignee = assign.getByLabel('Assign to');
    const offered = await assignee.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining([agent.id, clerk.id, supervisor.id]));
    await assignee.selectOption(agent.id);
    await assign.getByRole('button', { name: 'Assign' }).click();
    await page.locator('.page-status').filter({ hasText: 'Assign: done.' }).waitFor();
    const assigned = await view(otherReference);
    expect(assigned.state?.assignee).toBe(agent.id);
    expect(assigned.events.filter((event) => event.type === 'assigned').map((event) => event.data)).toContainEqual({ from: null, to: agent.id });

    // Senior approval is for admins: the API refuses the supervisor, and the form says why; nothing moves.
    const extend = page.locator('details[data-action="extend_deadline"]');
    await extend.locator('summary').click();
    await extend.getByLabel('Clock', { exact: true }).selectOption('final_response');
    expect(await extend.getByLabel('Extension', { exact: true }).locator('option').allTextContents()).toEqual(['Complex case', 'Especially complex, senior approval']);
    await extend.getByLabel('Extension', { exact: true }).selectOption('senior_approval');
    await extend.getByLabel('Reason').fill('Needs the card scheme’s chargeback records.');
    await extend.getByRole('button', { name: 'Extend a deadline' }).click();
    await extend.getByRole('alert').filter({ hasText: 'FORBIDDEN' }).waitFor();
    expect((await view(otherReference)).state?.deadlines.find((deadline) => deadline.id === final?.id)?.dueAt).toBe(final?.dueAt);

    await extend.getByLabel('Extension', { exact: true }).selectOption('complex');
    await extend.getByRole('button', { name: 'Extend a deadline' }).click();
    await page.locator('.page-status').filter({ hasText: 'Extend a deadline: done.' }).waitFor();
    const extended = (await view(otherReference)).state?.deadlines.find((deadline) => deadline.id === final?.id);
    expect(extended).toMatchObject({ extension: 'complex', extensions: ['senior_approval'] });
    expect(extended?.dueAt).toBe(dueAfter(new Date(final?.startsAt ?? ''), 30, 'calendarDay', 'Asia/Shanghai', 'CN').toISOString());
    expect((await view(otherReference)).events.map((event) => event.type)).toContain('deadline.extended');
    await page.locator('tr.deadline-open', { hasText: 'Complex case' }).waitFor();
    expect(problems).toEqual([]);
  });
});
