/**
 * The one error every transcript parser throws: the bytes are not a call transcript Ombuds can read (empty, unknown
 * format, truncated JSON, a known format missing what it needs). Permanent: retrying the same bytes cannot help.
 */
import { OmbudsError } from '../../../shared/errors.js';

export const TRANSCRIPT_INVALID = 'TRANSCRIPT_INVALID';

export class TranscriptInvalid extends OmbudsError {
  /** `reason` is safe to show to the person who imported the file: it names no content, only where and what. */
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(TRANSCRIPT_INVALID, `Not an importable transcript: ${reason}.`, { httpStatus: 422, cause: options.cause });
    this.reason = reason;
  }

  readonly reason: string;
}
