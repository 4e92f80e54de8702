/**
 * Real transcripts (the project's fixtures) through parse → normalize → accept → the real intake worker, on both
 * configurations: a Chinese ATM complaint call becomes one registered complaint whose description is the
 * customer's words and whose trail says who took the call; a call with a start time has its clocks from then;
 * importing the same file again stores nothing new.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ComplaintView } from '../../src/contracts/index.js';
import { parseTranscript, transcriptToInbound } from '../../src/adapters/hotline/index.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

function fixture(path: string): Buffer {
  return readFileSync(new URL(`../../fixtures/transcripts/${path}`, import.meta.url));
}

describe.each(CONFIGURATIONS)('hotline transcripts become complaint records (%s)', (configuration) => {
  let harness: Harness;
  let staffKey: string;

  beforeAll(async () => {
    harness = await startHarness(configuration);
    staffKey = (await harness.addStaff(`hotline-records-${configuration}`, 'supervisor', [])).key;
  });
  afterAll(async () => {
    await harness.close();
  });

  async function importFile(path: string) {
    const bytes = fixture(path);
    const transcript = parseTranscript({ bytes, name: path });
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const accepted = await harness.ombuds.intake.accept(transcriptToInbound(transcript, { contentHash, importedAt: new Date() }));
    await harness.waitForIdle();
    return accepted;
  }

  async function view(reference: string): Promise<ComplaintView> {
    const response = await request(harness.ombuds.app).get(`/v1/complaints/${reference}`).set('Authorization', `Bearer ${staffKey}`);
    expect(response.status).toBe(200);
    return ComplaintView.parse(response.body);
  }

  it('registers the Chinese ATM call from the customer’s turns, once', async () => {
    const first = await importFile('plain-text/zh-bank-hotline-2-plain.txt');
    expect(first.duplicate).toBe(false);
    const complaint = await view(first.reference ?? '');
    expect(complaint.stage).toBe('registered');
    expect(complaint.record?.channels).toEqual(['hotline']);
    expect(complaint.record?.customer.language).toBe('zh');
    expect(complaint.record?.description).toContain('柜员机');
    expect(complaint.record?.description).not.toContain('请问有什么可以帮您');
    expect(complaint.events.find((event) => event.type === 'call.recorded')?.data).toMatchObject({ format: 'plain_text', takenBy: '坐席' });
    expect(complaint.messages.filter((message) => message.direction === 'inbound')).toHaveLength(1);
    // Nothing can be sent back on a transcribed call: no acknowledgement is queued (none fails), the team is told
    // to acknowledge it another way, and the acknowledgement clocks stay open.
    expect(complaint.messages.filter((message) => message.direction === 'outbound')).toHaveLength(0);
    expect(complaint.events.map((event) => event.type)).toContain('acknowledgement.pending');
    expect(complaint.events.map((event) => event.type)).not.toContain('outbound.failed');
    const notified = await harness.ombuds.database.query<{ kind: string }>(`SELECT kind FROM notifications WHERE complaint_id = $1`, [complaint.id]);
    expect(notified.rows.map((row) => row.kind)).toContain('acknowledgement.needed');

    const again = await importFile('plain-text/zh-bank-hotline-2-plain.txt');
    expect(again).toMatchObject({ duplicate: true, reference: first.reference });
  });

  it('starts the clocks at the call’s own start time (Genesys: a call from 2025)', async () => {
    const accepted = await importFile('genesys/genesys-1-transcript-minimal.json');
    const complaint = await view(accepted.reference ?? '');
    expect(complaint.record?.receivedAt).toBe('2025-06-06T21:00:00.000Z');
    expect(complaint.messages[0]?.receivedAt).toBe('2025-06-06T21:00:00.000Z');
    for (const deadline of complaint.record?.deadlines ?? []) expect(new Date(deadline.dueAt).getTime()).toBeLessThan(Date.parse('2026-01-01T00:00:00Z'));
    expect(complaint.record?.deadlines.length).toBeGreaterThan(0);
  });
});
