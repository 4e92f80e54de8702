/**
 * One transcript's way in (issue 7 item 3): bytes → parse (format detected by content) → one `hotline`
 * InboundMessage (content hash = SHA-256 of the bytes) → intake.accept. A transcript is one accept, so it is
 * stored whole or not at all; a failure is an outcome with its reason, never a throw, so a bad file never stops a
 * batch. The parser, the record builder and intake are injected by the composition root (src/cli may import only
 * contracts and shared); `ombuds import` and `POST /v1/transcripts` share this.
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
}

/** What happened to one transcript at import (before the intake worker ran). */
export type PipelineOutcome =
  | { outcome: 'imported' | 'duplicate'; messageId: string; complaintId: string | null; reference: string | null; callId: string | null }
  | { outcome: 'failed'; code: string; reason: string };

export type TranscriptPipeline = (item: { bytes: Buffer; name?: string }) => Promise<PipelineOutcome>;

export function createTranscriptPipeline(dependencies: TranscriptPipelineDependencies): TranscriptPipeline {
  return async (item) => {
    let message: InboundMessage;
    let callId: string | null;
    try {
      const transcript = dependencies.parse(item.name === undefined ? { bytes: item.bytes } : { bytes: item.bytes, name: item.name });
      callId = transcript.callId;
      const contentHash = createHash('sha256').update(item.bytes).digest('hex');
      message = dependencies.toInbound(transcript, { contentHash, importedAt: dependencies.clock.now() });
    } catch (error) {
      return failure(error, 'TRANSCRIPT_INVALID', (reason) => `not a transcript Ombuds can read: ${reason}`);
    }
    try {
      const accepted = await dependencies.accept(message);
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
