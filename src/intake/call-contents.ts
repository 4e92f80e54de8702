/**
 * The transcripts an import has stored, known by the SHA-256 of their bytes (issue 7): the importer asks before it
 * parses and redacts a transcript, so a re-run of a day's folder costs a hash and a lookup per call. Lookups and
 * records of concurrent calls are batched (group commit: one query for the calls in flight). A message still
 * pending is not reported as known: the full path re-enqueues it. Only an accelerator — intake's unique
 * (channel, call key) stays the dedupe rule, so a hash not yet recorded costs a parse, never a duplicate.
 */
import { findTranscriptContents, insertTranscriptContents, type Database, type StoredTranscriptContent } from '../store/index.js';
import { createGroupCommit } from './group-commit.js';

/** A transcript stored before: the call message it became and where that message is now. */
export interface KnownCall {
  messageId: string;
  complaintId: string | null;
  reference: string | null;
}

export interface CallContents {
  /** The processed call these bytes became on an earlier import; null when they are new (or still pending). */
  find(contentHash: string): Promise<KnownCall | null>;
  /** Records that these bytes became this call message. */
  remember(contentHash: string, messageId: string): Promise<void>;
}

export function createCallContents(config: { database: Database; maxBatch: number }): CallContents {
  const maxConcurrent = Math.max(1, Math.min(2, config.database.parallelism));
  const lookups = createGroupCommit<string, StoredTranscriptContent | null>({
    maxBatch: config.maxBatch,
    maxConcurrent,
    async flush(hashes) {
      const found = new Map((await findTranscriptContents(config.database, [...new Set(hashes)])).map((row) => [row.contentHash, row]));
      return hashes.map((hash) => found.get(hash) ?? null);
    },
  });
  const records = createGroupCommit<{ contentHash: string; messageId: string }, null>({
    maxBatch: config.maxBatch,
    maxConcurrent,
    async flush(contents) {
      const byHash = new Map(contents.map((content) => [content.contentHash, content]));
      await insertTranscriptContents(config.database, [...byHash.values()]);
      return contents.map(() => null);
    },
  });
  return {
    async find(contentHash) {
      const row = await lookups.submit(contentHash);
      if (!row || row.pending) return null;
      return { messageId: row.messageId, complaintId: row.complaintId, reference: row.reference };
    },
    async remember(contentHash, messageId) {
      await records.submit({ contentHash, messageId });
    },
  };
}
