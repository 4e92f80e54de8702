/**
 * JSON bodies: `application/json` only (else 415), UTF-8, at most the configured size (else 413, also for
 * chunked bodies, which body-parser counts as they stream in). Malformed JSON is a 400.
 */
import express, { type RequestHandler } from 'express';
import { UnsupportedMediaType } from '../shared/errors.js';

export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (request, _response, next) => {
    if (!request.is('application/json')) {
      next(new UnsupportedMediaType('application/json'));
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit: limitBytes, strict: true, type: 'application/json' })];
}
