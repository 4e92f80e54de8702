/**
 * The staff console's queue and complaint view over real HTTP, on both configurations (issue 8): the queue's
 * scopes, each filter and the search (reference, its number, name, phone and e-mail given by the channel or written
 * in the text), agents' visibility, bad queries; contacts masked in the view and revealed with an audit event; and
 * the reply templates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ComplaintView, ConsoleQueueResponse, ContactRevealed, ReplyTemplateList, type ConsoleQueueItem } from '../../src/contracts/index.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

describe.each(CONFIGURATIONS)('the staff console API (%s)', (configuration) => {
  let harness: Harness;
  let supervisor: { id: string; key: string };
  let cardsAgent: { id: string; key: string };
  let accountsAgent: { id: string; key: string };
  /** References by name: `li` (cards, Chinese, phone from the app), `jane` (accounts, e-mail), `bob` (cards, phone in the text). */
  const references = new Map<string, string>();

  beforeAll(async () => {
    // Staff are read afresh on each request: a test moves an agent to another team.
    harness = await startHarness(configuration, { env: { API_KEY_CACHE_TTL_MS: '0' } });
    supervisor = await harness.addStaff(`console-supervisor-${configuration}`, 'supervisor', []);
    cardsAgent = await harness.addStaff(`console-cards-${configuration}`, 'agent', ['cards']);
    accountsAgent = await harness.addStaff(`console-accounts-${configuration}`, 'agent', ['accounts']);
    const complaints = [
      { name: 'li', sender: { id: 'console-li', name: 'Li Wei', phone: '+86 138 0013 8000' }, fields: { product: 'cards' }, text: '我的信用卡昨天被盗刷了5000元，我没有授权这些交易，请尽快处理。' },
      { name: 'jane', sender: { id: 'console-jane', name: 'Jane Doe', email: 'Jane.Doe@Example.com' }, fields: { product: 'deposit_accounts' }, text: 'You charged my current account a monthly fee of 15 pounds that I never agreed to.' },
      { name: 'bob', sender: { id: 'console-bob', name: 'Bob Stone' }, fields: { product: 'cards' }, text: 'My card was declined abroad three times although it has funds. Please call me on +86 139 1234 5678.' },
    ];
    for (const complaint of complaints) {
      const response = await request(harness.ombuds.app)
        .post('/v1/messages')
        .set('Authorization', `Bearer ${harness.appKey}`)
        .send({ clientMessageId: `console-${complaint.name}`, sender: complaint.sender, fields: complaint.fields, text: complaint.text });
      expect(response.status).toBe(202);
      references.set(complaint.name, response.body.complaintReference as string);
    }
    await harness.waitForIdle();
  });
  afterAll(async () => {
    await harness.close();
  });

  const reference = (name: string) => references.get(name) ?? '';

  async function queue(key: string, query: Record<string, string>): Promise<ConsoleQueueItem[]> {
    const response = await request(harness.ombuds.app).get('/v1/staff/queue').query(query).set('Authorization', `Bearer ${key}`);
    expect(response.status).toBe(200);
    return ConsoleQueueResponse.parse(response.body).items;
  }
  const referencesOf = (items: ConsoleQueueItem[]) => items.map((item) => item.reference).sort();
  const ours = (items: ConsoleQueueItem[]) => referencesOf(items.filter((item) => [...references.values()].includes(item.reference)));

  it('answers the team queue as before, each row with its warning point, language and customer name', async () => {
    const items = await queue(supervisor.key, {});
    expect(ours(items)).toEqual([reference('li'), reference('jane'), reference('bob')].sort());
    const li = items.find((item) => item.reference === reference('li'));
    expect(li).toMatchObject({ language: 'zh', customerName: 'Li Wei', team: 'cards', channel: 'api', assignee: null });
    // The warning point is 80% of the way from the clock's start (receipt) to its due time.
    const received = Date.parse(li?.receivedAt ?? '');
    const due = Date.parse(li?.dueAt ?? '');
    const warn = Date.parse(li?.warnAt ?? '');
    expect(warn).toBeGreaterThan(received);
    expect(warn).toBeLessThan(due);
    expect(Math.abs(warn - (received + 0.8 * (due - received)))).toBeLessThan(1_000);
    // An old client's query (team, limit) still works.
    expect(ours(await queue(supervisor.key, { team: 'cards', limit: '10' }))).toEqual([reference('li'), reference('bob')].sort());
  });

  it('filters by channel, urgency, flag, stage and language', async () => {
    expect(ours(await queue(supervisor.key, { channel: 'api' }))).toHaveLength(3);
    expect(ours(await queue(supervisor.key, { channel: 'wechat' }))).toEqual([]);
    expect(ours(await queue(supervisor.key, { language: 'zh' }))).toEqual([reference('li')]);
    expect(ours(await queue(supervisor.key, { language: 'en' }))).toEqual([reference('jane'), reference('bob')].sort());
    const all = await queue(supervisor.key, {});
    for (const level of ['low', 'medium', 'high', 'critical']) {
      const filtered = await queue(supervisor.key, { urgency: level });
      expect(filtered.every((item) => item.urgency === level)).toBe(true);
      expect(ours(filtered)).toEqual(ours(all.filter((item) => item.urgency === level)));
    }
    await harness.ombuds.database.query(`UPDATE complaints SET flags = array_append(flags, 'vulnerable_customer') WHERE reference = $1`, [reference('jane')]);
    const flagged = await queue(supervisor.key, { flag: 'vulnerable_customer' });
    expect(ours(flagged)).toContain(reference('jane'));
    expect(flagged.every((item) => item.flags.includes('vulnerable_customer'))).toBe(true);
    expect(ours(await queue(supervisor.key, { stage: 'registered' }))).toHaveLength(3);
    expect(ours(await queue(supervisor.key, { stage: 'investigating' }))).toEqual([]);
  });

  it('searches by reference, its number, the customer’s name, phone number and e-mail address', async () => {
    const search = async (q: string) => ours(await queue(supervisor.key, { q }));
    expect(await search(reference('jane'))).toEqual([reference('jane')]);
    expect(await search(reference('jane').toLowerCase())).toEqual([reference('jane')]);
    const number = reference('jane').split('-')[2] ?? '';
    expect(await search(number)).toEqual([reference('jane')]);
    expect(await search(number.replace(/^0+/, ''))).toEqual([reference('jane')]);
    expect(await search('jane')).toEqual([reference('jane')]);
    expect(await search('STONE')).toEqual([reference('bob')]);
    // The phone the app gave, however it is written.
    for (const phone of ['+8613800138000', '13800138000', '138 0013 8000', '+86 138-0013-8000', '１３８００１３８０００']) expect(await search(phone)).toEqual([reference('li')]);
    // The e-mail the app gave, in any case.
    expect(await search('JANE.DOE@example.COM')).toEqual([reference('jane')]);
    // A phone number the customer wrote in the text: stored only as a salted hash, found by it.
    expect(await search('13912345678')).toEqual([reference('bob')]);
    expect(await search('+86 139 1234 5678')).toEqual([reference('bob')]);
    expect(await search('nobody@example.com')).toEqual([]);
    expect(await search('%')).toEqual([]);
  });

  it('shows agents only their teams, and their own tickets in `mine` and `all`', async () => {
    expect(ours(await queue(cardsAgent.key, {}))).toEqual([reference('li'), reference('bob')].sort());
    expect(ours(await queue(accountsAgent.key, {}))).toEqual([reference('jane')]);
    expect(ours(await queue(accountsAgent.key, { q: 'Li Wei' }))).toEqual([]);
    const refused = await request(harness.ombuds.app).get('/v1/staff/queue').query({ team: 'cards' }).set('Authorization', `Bearer ${accountsAgent.key}`);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);

    // The cards agent claims one of theirs; a supervisor assigns Jane's (accounts) complaint to the accounts agent,
    // who then moves to another team: their open ticket stays theirs, outside their teams.
    const claimed = await request(harness.ombuds.app).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${cardsAgent.key}`).send({});
    expect(claimed.status).toBe(200);
    const claimedReference = claimed.body.complaint.reference as string;
    const unclaimed = [reference('li'), reference('bob')].find((candidate) => candidate !== claimedReference) ?? '';
    const assigned = await request(harness.ombuds.app)
      .post(`/v1/complaints/${reference('jane')}/actions`)
      .set('Authorization', `Bearer ${supervisor.key}`)
      .send({ type: 'assign', assignee: accountsAgent.id });
    expect(assigned.status).toBe(200);
    await harness.ombuds.database.query(`UPDATE staff SET teams = ARRAY['lending'] WHERE id = $1`, [accountsAgent.id]);

    expect(ours(await queue(cardsAgent.key, { scope: 'mine' }))).toEqual([claimedReference]);
    expect(ours(await queue(cardsAgent.key, { scope: 'team' }))).toEqual([unclaimed]);
    expect(ours(await queue(cardsAgent.key, { scope: 'all' }))).toEqual([reference('li'), reference('bob')].sort());
    expect(ours(await queue(cardsAgent.key, { scope: 'mine', team: 'cards' }))).toEqual([claimedReference]);

    const mine = await queue(accountsAgent.key, { scope: 'mine' });
    expect(ours(mine)).toEqual([reference('jane')]);
    expect(mine.every((item) => item.assignee === accountsAgent.id && item.team === 'accounts')).toBe(true);
    expect(ours(await queue(accountsAgent.key, { scope: 'all' }))).toEqual([reference('jane')]);
    expect(ours(await queue(accountsAgent.key, {}))).toEqual([]);
    // A team asked for is that team only: own tickets of other teams are left out.
    expect(ours(await queue(accountsAgent.key, { scope: 'all', team: 'lending' }))).toEqual([]);
    expect(ours(await queue(accountsAgent.key, { scope: 'mine', team: 'lending' }))).toEqual([]);
    expect(ours(await queue(supervisor.key, { scope: 'all' }))).toHaveLength(3);
    expect(ours(await queue(supervisor.key, { scope: 'team' }))).toEqual([unclaimed]);
  });

  it('refuses a bad query with 400 and says which parameter is wrong', async () => {
    for (const [query, path] of [
      [{ urgency: 'extreme' }, 'urgency'],
      [{ scope: 'everything' }, 'scope'],
      [{ limit: '0' }, 'limit'],
      [{ language: 'fr' }, 'language'],
      [{ q: ' ' }, 'q'],
      [{ channel: 'Web Chat' }, 'channel'],
      [{ colour: 'red' }, '(body)'],
    ] as const) {
      const response = await request(harness.ombuds.app).get('/v1/staff/queue').query(query).set('Authorization', `Bearer ${supervisor.key}`);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('PAYLOAD_INVALID');
      expect((response.body.error.details as { path: string }[]).map((detail) => detail.path)).toContain(path);
    }
    const unauthenticated = await request(harness.ombuds.app).get('/v1/staff/queue');
    expect(unauthenticated.status).toBe(401);
  });

  it('masks the customer’s contacts in the view, and reveals them with an audit event', async () => {
    const viewOf = async (key: string) => request(harness.ombuds.app).get(`/v1/complaints/${reference('li')}`).set('Authorization', `Bearer ${key}`);
    const view = ComplaintView.parse((await viewOf(supervisor.key)).body);
    expect(view.record?.customer.contacts).toContainEqual({ type: 'phone', value: '+86 138****8000' });
    expect(JSON.stringify(view)).not.toContain('13800138000');
    const jane = ComplaintView.parse((await request(harness.ombuds.app).get(`/v1/complaints/${reference('jane')}`).set('Authorization', `Bearer ${supervisor.key}`)).body);
    expect(jane.record?.customer.contacts).toContainEqual({ type: 'email', value: 'J***@Example.com' });

    const reveal = (key: string, body: object) => request(harness.ombuds.app).post(`/v1/complaints/${reference('li')}/contact/reveal`).set('Authorization', `Bearer ${key}`).send(body);
    // An agent of another team cannot, and nothing is recorded.
    expect((await reveal(accountsAgent.key, {})).status).toBe(404);
    expect([(await reveal(supervisor.key, { index: 'first' })).status, (await reveal(supervisor.key, { index: 99 })).status]).toEqual([400, 404]);
    const before = ComplaintView.parse((await viewOf(supervisor.key)).body).events.filter((event) => event.type === 'contact.revealed');
    expect(before).toEqual([]);

    const all = await reveal(supervisor.key, {});
    expect(all.status).toBe(200);
    expect(all.headers['cache-control']).toBe('no-store');
    const revealed = ContactRevealed.parse(all.body).contacts;
    const phoneIndex = revealed.findIndex((contact) => contact.type === 'phone');
    expect(revealed[phoneIndex]?.value.replace(/\s/g, '')).toBe('+8613800138000');
    const one = ContactRevealed.parse((await reveal(cardsAgent.key, { index: phoneIndex })).body).contacts;
    expect(one).toEqual([revealed[phoneIndex]]);

    const events = ComplaintView.parse((await viewOf(supervisor.key)).body).events.filter((event) => event.type === 'contact.revealed');
    expect(events.map((event) => event.actor)).toEqual([`staff:${supervisor.id}`, `staff:${cardsAgent.id}`]);
    expect(events[1]?.data).toEqual({ contacts: [{ index: phoneIndex, type: 'phone', masked: '+86 138****8000' }] });
    expect(JSON.stringify(events)).not.toContain('13800138000');
  });

  it('answers reply templates per language and purpose', async () => {
    const templates = async (query: Record<string, string>) => request(harness.ombuds.app).get('/v1/templates').query(query).set('Authorization', `Bearer ${cardsAgent.key}`);
    const zh = ReplyTemplateList.parse((await templates({ language: 'zh' })).body).items;
    expect(new Set(zh.map((template) => template.purpose))).toEqual(new Set(['reply', 'request_information', 'propose_resolution', 'send_final_response']));
    expect(zh.every((template) => template.language === 'zh' && /[\u4e00-\u9fff]/.test(template.body))).toBe(true);
    const en = ReplyTemplateList.parse((await templates({ language: 'en', purpose: 'request_information' })).body).items;
    expect(en.length).toBeGreaterThan(0);
    expect(en.every((template) => template.language === 'en' && template.purpose === 'request_information' && template.body.includes('{{reference}}'))).toBe(true);
    for (const query of [{}, { language: 'fr' }, { language: 'en', purpose: 'apologise' }] as Record<string, string>[]) {
      const response = await templates(query);
      expect([response.status, response.body.error.code]).toEqual([400, 'PAYLOAD_INVALID']);
    }
    expect((await request(harness.ombuds.app).get('/v1/templates').query({ language: 'en' })).status).toBe(401);
  });
});
