/**
 * The pre-parse duplicate check of `ombuds import` on both configurations (real PostgreSQL + Redis, and PGlite):
 * transcript bytes stored by an earlier import are a duplicate before they are parsed or redacted again; bytes not
 * seen before (the same call exported again, differently) still go the whole way and intake's call key makes them
 * a duplicate; a call whose message the worker has not processed yet is not short-cut (the full path re-enqueues it).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage, Transcript } from '../contracts/index.js';
import { parseTranscript, transcriptToInbound } from '../adapters/hotline/index.js';
import { createTranscriptPipeline, type TranscriptPipeline } from '../cli/transcript-pipeline.js';
import { systemClock } from '../shared/clock.js';
import { fixturePath } from '../../test/support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../../test/support/ombuds-harness.js';
import { createCallContents } from './call-contents.js';

/** A Twilio Voice Intelligence call with this id (its call key is `call:<sid>`). */
function twilioCall(sid: string, spacing = 0): Buffer {
  const body = {
    transcript: { sid, channel: { participants: [{ channel_participant: 1, role: 'Agent', full_name: 'Ann' }, { channel_participant: 2, role: 'Customer' }] } },
    sentences: [
      { media_channel: 1, sentence_index: 0, start_time: 0, end_time: 2, transcript: 'Good morning, Example Bank, Ann speaking.', confidence: 0.93 },
      { media_channel: 2, sentence_index: 1, start_time: 2.5, end_time: 9, transcript: 'I was charged twice for the same purchase and want the money back.', confidence: 0.91 },
    ],
  };
  return Buffer.from(JSON.stringify(body, null, spacing));
}

describe.each(CONFIGURATIONS)('pre-parse duplicate check (%s)', (configuration) => {
  let harness: Harness;
  let parsed = 0;
  let pipeline: TranscriptPipeline;

  beforeAll(async () => {
    harness = await startHarness(configuration);
    const { ombuds } = harness;
    pipeline = createTranscriptPipeline({
      parse(input): Transcript {
        parsed += 1;
        return parseTranscript(input);
      },
      toInbound: transcriptToInbound,
      accept: (message: InboundMessage) => ombuds.intake.accept(message),
      clock: systemClock,
      contents: createCallContents({ database: ombuds.database, maxBatch: 16 }),
    });
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  it('answers a re-read of the same bytes as a duplicate without parsing them again', async () => {
    const bytes = readFileSync(fixturePath('transcripts/contact-lens/contact-lens-2-redacted.json'));
    const first = await pipeline({ bytes, name: 'day-1/contact-lens.json' });
    expect(first.outcome).toBe('imported');
    if (first.outcome === 'failed') return;
    await harness.waitForIdle();
    const parsedBefore = parsed;

    const again = await pipeline({ bytes, name: 'day-1/contact-lens.json' });
    expect(again).toMatchObject({ outcome: 'duplicate', messageId: first.messageId });
    expect(parsed).toBe(parsedBefore);
  });

  it('still parses bytes it has not seen, and intake finds the call a duplicate by its call id', async () => {
    const first = await pipeline({ bytes: twilioCall('GT-contents-1'), name: 'a/call.json' });
    expect(first.outcome).toBe('imported');
    if (first.outcome === 'failed') return;
    await harness.waitForIdle();
    const parsedBefore = parsed;

    // The same call exported again with other formatting: other bytes, same call id.
    const reExported = await pipeline({ bytes: twilioCall('GT-contents-1', 2), name: 'b/call.json' });
    expect(reExported).toMatchObject({ outcome: 'duplicate', messageId: first.messageId });
    expect(parsed).toBe(parsedBefore + 1);
    // Those bytes are now known too.
    expect(await pipeline({ bytes: twilioCall('GT-contents-1', 2), name: 'b/call.json' })).toMatchObject({ outcome: 'duplicate', messageId: first.messageId });
    expect(parsed).toBe(parsedBefore + 1);
  });

  it('does not short-cut a call its worker has not processed yet', async () => {
    const contents = createCallContents({ database: harness.ombuds.database, maxBatch: 16 });
    const imported = await pipeline({ bytes: twilioCall('GT-contents-2'), name: 'c/call.json' });
    if (imported.outcome === 'failed') throw new Error(imported.reason);
    await harness.waitForIdle();
    const hash = createHash('sha256').update(twilioCall('GT-contents-2')).digest('hex');
    expect(await contents.find(hash)).toMatchObject({ messageId: imported.messageId });
    // As if the worker had not reached it: the lookup says "not known", so the pipeline takes the full path (which
    // re-enqueues a pending call). The status is put back at once, before a reconciler could see it.
    const status = async (value: string) => harness.ombuds.database.query(`UPDATE messages SET status = $2 WHERE id = $1`, [imported.messageId, value]);
    const { rows } = await harness.ombuds.database.query<{ status: string }>(`SELECT status FROM messages WHERE id = $1`, [imported.messageId]);
    await status('pending');
    try {
      expect(await contents.find(hash)).toBeNull();
    } finally {
      await status(rows[0]?.status ?? 'processed');
    }
    expect(await contents.find(hash)).toMatchObject({ messageId: imported.messageId });
  });

  it('treats a failed lookup as unknown: the call still imports', async () => {
    const failing = createTranscriptPipeline({
      parse: parseTranscript,
      toInbound: transcriptToInbound,
      accept: (message: InboundMessage) => harness.ombuds.intake.accept(message),
      clock: systemClock,
      contents: {
        find: () => Promise.reject(new Error('lookup down')),
        remember: () => Promise.reject(new Error('lookup down')),
      },
    });
    expect(await failing({ bytes: twilioCall('GT-contents-3'), name: 'd/call.json' })).toMatchObject({ outcome: 'imported' });
    await harness.waitForIdle();
  });
});
