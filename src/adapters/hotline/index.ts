/**
 * The hotline channel (issue 7, CHANNELS.md §6): call-centre transcripts in nine formats, read by content into one
 * contract `Transcript` (formats/, decode.ts, detect.ts, roles.ts), turned into an inbound message, and fed by the
 * importer's sources. Other folders import from here only.
 */
export { parseTranscript, TranscriptInvalid, TRANSCRIPT_INVALID, type TranscriptInput } from './formats/index.js';
export { decodeTranscriptText } from './decode.js';
export { detectTranscriptFormat, type DetectedTranscript } from './detect.js';
export { inferRoles, roleFromLabel } from './roles.js';
export { transcriptToInbound, callKeyOf, type TranscriptToInboundOptions } from './normalize.js';
