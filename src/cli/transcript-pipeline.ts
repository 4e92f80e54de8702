/**
 * One transcript's way in (issue 7 item 3): bytes → parse (format detected by content) → one `hotline`
 * InboundMessage (content hash = SHA-256 of the bytes) → intake.accept. A transcript is one accept, so it is
 * stored whole or not at all; a failure is an outcome with its reason, never a throw, so a bad file never stops a
 * batch. The parser, the record builder and intake are injected by the composition root (src/cli may import only
 * contracts and shared); `ombuds import` and `POST /v1/transcripts` share this. With `contents`, the bytes are
 * looked up by their hash first: a transcript stored by an earlier import is a duplicate without being parsed or
 * redacted again (a re-run of a day's folder), and each stored one is recorded for the next run.
 */
import { createHash } from 'node:crypto';
import type { InboundMessage, Transcript } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { isOmbudsError } from '../shared/errors.js';

export interface TranscriptPipelineDependencies {
  parse(input: { bytes: Buffer; name?: string }): Transcript;
  toInbound(transcript: Transcript, options: { contentHash: string; importedAt: Date }): InboundMessage;
  accept(message: InboundMessage): Promise<{ messageId: string; complaintId: string | null; reference: string | null; duplicate: boolean }>;
  clock: Clock;
  /** The transcripts stored before, by the SHA-256 of their bytes (src/intake/call-contents.ts). */
  contents?: {
    find(contentHash: string): Promise<{ messageId: string; complaintId: string | null; reference: string | null } | null>;
    remember(contentHash: string, messageId: string): Promise<void>;
  };
}

/** What happened to one transcript at import (before the intake worker ran). */
export type PipelineOutcome =
  | { outcome: 'imported' | 'duplicate'; messageId: string; complaintId: string | null; reference: string | null; callId: string | null }
  | { outcome: 'failed'; code: string; reason: string };

export type TranscriptPipeline = (item: { bytes: Buffer; name?: string }) => Promise<PipelineOutcome>;

export function createTranscriptPipeline(dependencies: TranscriptPipelineDependencies): TranscriptPipeline {
  const { contents } = dependencies;
  return async (item) => {
    const contentHash = createHash('sha256').update(item.bytes).digest('hex');
    // A failed lookup only costs the full path (intake still deduplicates on the call key).
    const known = contents ? await contents.find(contentHash).catch(() => null) : null;
    if (known) return { outcome: 'duplicate', messageId: known.messageId, complaintId: known.complaintId, reference: known.reference, callId: null };
    let message: InboundMessage;
    let callId: string | null;
    try {
      const transcript = dependencies.parse(item.name === undefined ? { bytes: item.bytes } : { bytes: item.bytes, name: item.name });
      callId = transcript.callId;
      message = dependencies.toInbound(transcript, { contentHash, importedAt: dependencies.clock.now() });
    } catch (error) {
      return failure(error, 'TRANSCRIPT_INVALID', (reason) => `not a transcript Ombuds can read: ${reason}`);
    }
    try {
      const accepted = await dependencies.accept(message);
      // Not remembering is harmless (the next run parses this file again), so it never fails the call.
      await contents?.remember(contentHash, accepted.messageId).catch(() => undefined);
      return { outcome: accepted.duplicate ? 'duplicate' : 'imported', messageId: accepted.messageId, complaintId: accepted.complaintId, reference: accepted.reference, callId };
    } catch (error) {
      // An unexpected store error's message is internal: the caller learns only that the call was not stored.
      return failure(error, 'STORE_FAILED', () => 'the call could not be stored; import it again later');
    }
  };
}

function failure(error: unknown, fallbackCode: string, reasonOf: (message: string) => string): PipelineOutcome {
  if (isOmbudsError(error)) return { outcome: 'failed', code: error.code, reason: error.message };
  return { outcome: 'failed', code: fallbackCode, reason: reasonOf(error instanceof Error ? error.message : String(error)) };
}
