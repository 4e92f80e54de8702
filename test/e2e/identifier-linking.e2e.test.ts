/**
 * Identifiers written in a message (phone, e-mail, card number) never stay in its text, but their salted hashes
 * let a second complaint about the same card or number, from another channel identity, be recognised as a repeat;
 * phones and e-mails the customer wrote become contacts on the record. Both configurations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ComplaintView } from '../../src/contracts/index.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

describe.each(CONFIGURATIONS)('identifier hashes and text contacts (%s)', (configuration) => {
  let harness: Harness;
  let staffKey: string;

  beforeAll(async () => {
    harness = await startHarness(configuration);
    staffKey = (await harness.addStaff('linking-supervisor', 'supervisor', [])).key;
  });
  afterAll(async () => {
    await harness.close();
  });

  async function complain(clientMessageId: string, senderId: string, text: string) {
    const response = await request(harness.ombuds.app)
      .post('/v1/messages')
      .set('Authorization', `Bearer ${harness.appKey}`)
      .send({ clientMessageId, sender: { id: senderId }, text });
    expect(response.status).toBe(202);
    await harness.waitForIdle();
    const view = await request(harness.ombuds.app).get(`/v1/complaints/${response.body.complaintReference as string}`).set('Authorization', `Bearer ${staffKey}`);
    return ComplaintView.parse(view.body);
  }

  it('links a second complaint about the same card from another identity, and keeps written contacts', async () => {
    const first = await complain('link-1', 'web-user-1', '信用卡 6222 0212 3456 7891 被重复扣款两次，请联系我 13912345678 或 li.wei@example.org');
    expect(first.record?.flags).not.toContain('repeat_complaint');
    // The view shows contacts masked (issue 8); revealing them (an audited action) shows them as written.
    expect(first.record?.customer.contacts).toEqual(
      expect.arrayContaining([
        { type: 'phone', value: '139****5678' },
        { type: 'email', value: 'l***@example.org' },
      ]),
    );
    const revealed = await request(harness.ombuds.app).post(`/v1/complaints/${first.reference}/contact/reveal`).set('Authorization', `Bearer ${staffKey}`).send({});
    expect(revealed.status).toBe(200);
    expect(revealed.body.contacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'phone', value: '13912345678' }),
        expect.objectContaining({ type: 'email', value: 'li.wei@example.org' }),
      ]),
    );
    expect(first.record?.customer.identifierHashes?.length).toBeGreaterThanOrEqual(3);
    const stored = JSON.stringify(first.messages) + JSON.stringify(first.record?.description);
    expect(stored).not.toContain('13912345678');
    expect(stored).not.toContain('li.wei@example.org');
    expect(stored.replace(/\s/g, '')).not.toContain('6222021234567891');

    const second = await complain('link-2', 'app-user-2', 'My card 6222021234567891 was charged twice and nobody has answered.');
    expect(second.record?.flags).toContain('repeat_complaint');
    expect(second.record?.flagReasons).toContainEqual(expect.objectContaining({ flag: 'repeat_complaint', rule: 'structural_open_complaint' }));

    const unrelated = await complain('link-3', 'app-user-3', 'My card 4111 1111 1111 1111 was declined at the supermarket.');
    expect(unrelated.record?.flags).not.toContain('repeat_complaint');
  });
});
