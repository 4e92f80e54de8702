/**
 * `ombuds audit verify`: recomputes the audit trail's hash chains (all complaints, or one) and prints the verdict:
 * `checked N complaints, M events: intact`, or each broken chain's first broken link. Exit code 0 when intact,
 * 1 when a chain is broken, 2 when the complaint asked for does not exist.
 */
import { findComplaint, verifyAllChains, type Queryable } from '../store/index.js';

export interface AuditVerificationOptions {
  /** One complaint, by id or reference (`CMP-…`); all of them when absent. */
  complaint?: string;
  /** Complaints per query (default 500). */
  batchSize?: number;
  /** Print a progress line every this many complaints (default 50 000; 0: never). */
  progressEvery?: number;
}

export const AUDIT_EXIT = { intact: 0, broken: 1, notFound: 2 } as const;

function plural(count: number, word: string): string {
  return `${String(count)} ${word}${count === 1 ? '' : 's'}`;
}

export async function runAuditVerification(database: Queryable, options: AuditVerificationOptions, print: (line: string) => void): Promise<number> {
  let complaintId: string | undefined;
  if (options.complaint !== undefined) {
    const complaint = await findComplaint(database, options.complaint);
    if (!complaint) {
      print(`complaint ${options.complaint} was not found`);
      return AUDIT_EXIT.notFound;
    }
    complaintId = complaint.id;
  }
  const progressEvery = options.progressEvery ?? 50_000;
  let nextProgress = progressEvery;
  const result = await verifyAllChains(database, {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(complaintId === undefined ? {} : { complaintId }),
    onProgress: (progress) => {
      if (progressEvery <= 0 || progress.complaints < nextProgress) return;
      nextProgress = progress.complaints + progressEvery;
      print(`… ${plural(progress.complaints, 'complaint')}, ${plural(progress.events, 'event')} checked, ${plural(progress.broken, 'broken chain')}`);
    },
  });
  for (const broken of result.broken) {
    print(`BROKEN ${broken.reference} (${broken.complaintId}): first broken link at seq ${String(broken.seq)}: ${broken.reason}`);
  }
  const checked = `checked ${plural(result.complaints, 'complaint')}, ${plural(result.events, 'event')}`;
  if (result.broken.length === 0) {
    print(`${checked}: intact`);
    return AUDIT_EXIT.intact;
  }
  print(`${checked}: ${plural(result.broken.length, 'broken chain')}`);
  return AUDIT_EXIT.broken;
}
