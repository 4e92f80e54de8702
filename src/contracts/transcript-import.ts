/**
 * What importing a transcript answers (`ombuds import`, `POST /v1/transcripts`; issue 7 item 3): one result per
 * transcript, in the order they came.
 */
import { z } from 'zod';

/**
 * `imported`: stored as a new call record (queued for the intake worker); `attached`: the worker joined it to an
 * existing complaint (the CLI waits for the worker to know); `duplicate`: that call was imported before, nothing
 * stored; `failed`: not imported, with the reason.
 */
export const TranscriptImportOutcome = z.enum(['imported', 'attached', 'duplicate', 'failed']);
export type TranscriptImportOutcome = z.infer<typeof TranscriptImportOutcome>;

export const TranscriptImportResult = z.object({
  /** 0-based position in the request (a JSONL body: the line's position among the non-blank lines). */
  index: z.number().int().nonnegative(),
  outcome: TranscriptImportOutcome,
  messageId: z.string().optional(),
  /** The complaint the call is (or, for a duplicate, was) recorded under. */
  reference: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type TranscriptImportResult = z.infer<typeof TranscriptImportResult>;

export const TranscriptImportResponse = z.object({ results: z.array(TranscriptImportResult) });
export type TranscriptImportResponse = z.infer<typeof TranscriptImportResponse>;
