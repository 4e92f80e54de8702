/**
 * Error answers: every 4xx/5xx is `{ error: { code, message, details? } }`. Our errors carry their code and a
 * safe message; body-parser's are mapped to ours; anything else is a 500 whose message says nothing internal.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '../contracts/index.js';
import { isOmbudsError, OmbudsError, PayloadMalformed, PayloadTooLarge, UnsupportedMediaType } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

interface BodyParserError {
  type?: unknown;
  limit?: unknown;
}

function fromBodyParser(error: unknown, limitBytes: number): OmbudsError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { type } = error as BodyParserError;
  switch (type) {
    case 'entity.parse.failed':
      return new PayloadMalformed();
    case 'entity.too.large':
      return new PayloadTooLarge(limitBytes);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaType('UTF-8 JSON');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new OmbudsError('REQUEST_INVALID', 'The request body could not be read.', { httpStatus: 400 });
    default:
      return null;
  }
}

export function errorBody(error: OmbudsError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
}

export function createErrorHandler(options: {
  logger: Logger;
  bodyLimitBytes: number;
  onRejected?: (code: string, status: number) => void;
}): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const known = isOmbudsError(error) ? error : fromBodyParser(error, options.bodyLimitBytes);
    const answer = known ?? new OmbudsError('INTERNAL', 'Something went wrong on our side.', { httpStatus: 500 });
    if (!known) options.logger.error({ err: error, method: request.method, path: request.path }, 'unhandled error');
    else if (answer.httpStatus >= 500) options.logger.warn({ err: error, code: answer.code, path: request.path }, 'request failed');
    options.onRejected?.(answer.code, answer.httpStatus);
    if (answer.retryable) response.setHeader('Retry-After', '5');
    response.status(answer.httpStatus).json(errorBody(answer));
  };
}

export const notFoundHandler: RequestHandler = (request, _response, next) => {
  next(new OmbudsError('ROUTE_NOT_FOUND', `No route for ${request.method} ${request.path}.`, { httpStatus: 404 }));
};
