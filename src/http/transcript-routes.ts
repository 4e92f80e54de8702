/**
 * `POST /v1/transcripts` (issue 7 item 3): hotline call transcripts over HTTP, for a call-centre system that pushes
 * rather than drops files. Staff key of a supervisor or admin (checked before the body is read); the body is one
 * transcript in any supported format (detected by content), or JSONL with one per line (`Content-Type:
 * application/x-ndjson` or `application/jsonl`). Each transcript goes through the same pipeline as `ombuds import`
 * and gets its own result; one bad transcript does not fail the others. 400 `PAYLOAD_EMPTY` for an empty body, 413
 * beyond TRANSCRIPT_BODY_LIMIT_BYTES.
 */
import express, { Router, type ErrorRequestHandler } from 'express';
import { splitJsonLines } from '../adapters/hotline/sources.js';
import type { TranscriptImportResponse, TranscriptImportResult } from '../contracts/index.js';
import { Forbidden, OmbudsError, PayloadTooLarge } from '../shared/errors.js';
import type { Authenticator } from './authentication.js';

/** One transcript's import (the composition root's pipeline), as this route needs it. */
export type TranscriptImporter = (item: { bytes: Buffer; name?: string }) => Promise<
  { outcome: 'imported' | 'duplicate'; messageId: string; reference: string | null } | { outcome: 'failed'; code: string; reason: string }
>;

export const TRANSCRIPTS_PATH = '/v1/transcripts';
const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/jsonlines', 'application/x-jsonlines'];

export class PayloadEmpty extends OmbudsError {
  constructor() {
    super('PAYLOAD_EMPTY', 'The request body is empty: send one transcript, or JSONL with one transcript a line.', { httpStatus: 400 });
  }
}

function tooLargeWithLimit(limitBytes: number): ErrorRequestHandler {
  return (error: unknown, _request, _response, next) => {
    const tooLarge = typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.too.large';
    next(tooLarge ? new PayloadTooLarge(limitBytes) : error);
  };
}

export function transcriptRoutes(deps: { authenticator: Authenticator; importTranscript: TranscriptImporter; bodyLimitBytes: number }): Router {
  const router = Router();
  router.post(
    TRANSCRIPTS_PATH,
    async (request, _response, next) => {
      // Authenticate before reading the body: an unauthenticated sender cannot make us buffer megabytes.
      const staff = await deps.authenticator.staff(request);
      if (staff.role === 'agent') throw new Forbidden('Importing transcripts is for supervisors and admins.');
      next();
    },
    express.raw({ type: () => true, limit: deps.bodyLimitBytes, inflate: true }),
    async (request, response) => {
      const body: unknown = request.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      if (bytes.toString('utf8').trim() === '') throw new PayloadEmpty();
      const jsonl = request.is(JSONL_TYPES) !== false;
      const transcripts = jsonl ? splitJsonLines(bytes) : [bytes];
      const results: TranscriptImportResult[] = [];
      for (const [index, transcript] of transcripts.entries()) {
        const outcome = await deps.importTranscript({ bytes: transcript });
        results.push(
          outcome.outcome === 'failed'
            ? { index, outcome: 'failed', error: { code: outcome.code, message: outcome.reason } }
            : { index, outcome: outcome.outcome, messageId: outcome.messageId, ...(outcome.reference === null ? {} : { reference: outcome.reference }) },
        );
      }
      const answer: TranscriptImportResponse = { results };
      response.status(200).json(answer);
    },
  );
  router.use(TRANSCRIPTS_PATH, tooLargeWithLimit(deps.bodyLimitBytes));
  return router;
}
