/**
 * End to end, on both configurations, with OUTBOUND_ALLOW_PRIVATE_NETWORKS off (the production default): a bank's
 * app or an admin cannot register a callback or webhook URL on this machine or a private network, and a callback
 * that reaches one anyway (stored before, or a name that resolves there) is not delivered: the acknowledgement fails
 * at once, with the reason on the complaint, and the receiver on 127.0.0.1 never sees a request. (With the flag on,
 * as the harness sets it, handling-lifecycle.e2e.test.ts delivers to receivers on 127.0.0.1.)
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplaintView } from '../../src/contracts/index.js';
import { setApiClientCallback } from '../../src/store/index.js';
import { startFakeReceiver, type FakeReceiver } from '../support/fake-receiver.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

describe.each(CONFIGURATIONS)('outbound addresses with private networks not allowed (%s)', (configuration) => {
  let harness: Harness;
  let receiver: FakeReceiver;
  let admin: { id: string; key: string };
  let supervisor: { id: string; key: string };

  beforeAll(async () => {
    receiver = await startFakeReceiver();
    harness = await startHarness(configuration, { env: { OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'false' } });
    admin = await harness.addStaff('ada-admin', 'admin', []);
    supervisor = await harness.addStaff('sam-supervisor', 'supervisor', []);
  });
  afterAll(async () => {
    await harness.close();
    await receiver.close();
  });

  it('refuses callback and webhook URLs on loopback, private, link-local and localhost addresses with 400', async () => {
    for (const url of [`${receiver.url}/cb`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.7/cb', `http://localhost:${new URL(receiver.url).port}/cb`]) {
      const callback = await request(harness.ombuds.app).put('/v1/callback').set('Authorization', `Bearer ${harness.appKey}`).send({ url });
      expect([callback.status, callback.body.error?.code], url).toEqual([400, 'CALLBACK_URL_NOT_PUBLIC']);
      const webhook = await request(harness.ombuds.app).post('/v1/webhooks').set('Authorization', `Bearer ${admin.key}`).send({ url });
      expect([webhook.status, webhook.body.error?.code], url).toEqual([400, 'WEBHOOK_URL_NOT_PUBLIC']);
    }
    expect((await request(harness.ombuds.app).get('/v1/callback').set('Authorization', `Bearer ${harness.appKey}`)).status).toBe(404);
    expect((await request(harness.ombuds.app).get('/v1/webhooks').set('Authorization', `Bearer ${admin.key}`)).body.items).toEqual([]);
  });

  it('does not deliver to a stored callback on localhost: the acknowledgement fails permanently, with the reason', async () => {
    const apps = await harness.ombuds.database.query<{ id: string }>('SELECT id FROM api_clients');
    expect(apps.rows).toHaveLength(1);
    await setApiClientCallback(harness.ombuds.database, apps.rows[0]?.id ?? '', { url: `http://localhost:${new URL(receiver.url).port}/cb`, secret: 'whsec_stored-earlier' });

    const posted = await request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send(readJsonFixture('api/api-3-zh-fraud-in-progress.json'));
    expect(posted.status).toBe(202);
    const reference = posted.body.complaintReference as string;
    await harness.waitForIdle();
    const deadline = Date.now() + 20_000;
    let view: ComplaintView;
    for (;;) {
      const response = await request(harness.ombuds.app).get(`/v1/complaints/${reference}`).set('Authorization', `Bearer ${supervisor.key}`);
      view = ComplaintView.parse(response.body);
      if (view.events.some((event) => event.type === 'outbound.failed')) break;
      if (Date.now() > deadline) throw new Error(`no outbound.failed event: ${view.events.map((event) => event.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(view.events.find((event) => event.type === 'outbound.failed')?.data).toMatchObject({
      purpose: 'acknowledgement',
      reason: 'permanent',
      attempts: 1,
      error: expect.stringMatching(/^OUTBOUND_ADDRESS_NOT_PUBLIC: localhost is this machine/) as unknown,
    });
    expect(receiver.requests).toEqual([]);
  });
});
