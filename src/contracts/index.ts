/** The versioned contracts every other folder speaks in. Imports only zod. */
export * from './taxonomy.js';
export * from './inbound-message.js';
export * from './classification.js';
export * from './complaint-record.js';
export * from './jobs.js';
export * from './api-channel.js';
export * from './staff-api.js';
export * from './errors.js';
export * from './handling.js';
export * from './handling-responses.js';
export * from './channel-adapter.js';
export * from './webchat.js';
export * from './transcript.js';
export * from './transcript-import.js';
export * from './console.js';
