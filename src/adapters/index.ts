/** Channel adapters, one folder each. Vendor SDKs live here and nowhere else. */
export * as apiChannel from './api/index.js';
