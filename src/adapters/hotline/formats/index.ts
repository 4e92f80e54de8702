/**
 * Bytes → `Transcript`: decode (decode.ts), detect the format by content (detect.ts), run that format's parser. Every
 * refusal is a {@link TranscriptInvalid} (TRANSCRIPT_INVALID, 422) with a reason a person can act on; nothing else
 * escapes, whatever the bytes.
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { isOmbudsError } from '../../../shared/errors.js';
import { decodeTranscriptText } from '../decode.js';
import { detectTranscriptFormat, type DetectedTranscript } from '../detect.js';
import { parseAwsTranscribe } from './aws-transcribe.js';
import { parseAzureBatch } from './azure-batch.js';
import { parseContactLens } from './contact-lens.js';
import { parseGenesys } from './genesys.js';
import { parseGoogleStt } from './google-stt.js';
import { parsePlainText } from './plain-text.js';
import { parseSrt } from './srt.js';
import { TranscriptInvalid } from './transcript-invalid.js';
import { parseTwilioVi } from './twilio-vi.js';
import { parseWebVtt } from './webvtt.js';

export interface TranscriptInput {
  bytes: Buffer;
  /** Where the bytes came from (file name, archive entry); used in messages only, never to pick the format. */
  name?: string;
}

export function parseTranscript(input: TranscriptInput): Transcript {
  if (input.bytes.length === 0) throw new TranscriptInvalid('empty file');
  try {
    return parseDetected(detectTranscriptFormat(decodeTranscriptText(input.bytes)));
  } catch (error) {
    if (isOmbudsError(error) && error.code === 'TRANSCRIPT_INVALID') throw error;
    throw new TranscriptInvalid('the transcript could not be read', { cause: error });
  }
}

function parseDetected(detected: DetectedTranscript): Transcript {
  switch (detected.format) {
    case 'aws_transcribe':
      return parseAwsTranscribe(detected.json);
    case 'contact_lens':
      return parseContactLens(detected.json);
    case 'google_stt':
      return parseGoogleStt(detected.json);
    case 'azure_batch':
      return parseAzureBatch(detected.json);
    case 'genesys':
      return parseGenesys(detected.json);
    case 'twilio_vi':
      return parseTwilioVi(detected.json);
    case 'webvtt':
      return parseWebVtt(detected.text);
    case 'srt':
      return parseSrt(detected.text);
    case 'plain_text':
      return parsePlainText(detected.text);
  }
}

export { TranscriptInvalid, TRANSCRIPT_INVALID } from './transcript-invalid.js';
