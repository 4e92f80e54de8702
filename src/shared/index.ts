/** Leaf helpers every folder may use: errors, redacting logger, crypto, clock, canonical JSON. */
export * from './errors.js';
export * from './crypto.js';
export * from './clock.js';
export * from './logger.js';
export * from './json.js';
export * from './signing.js';
export * from './http-delivery.js';
