/**
 * Parses a `POST /v1/messages` body (already JSON-decoded) against the strict ApiMessageBody schema.
 * Never throws: a bad body is an `invalid` result with the zod issues as details.
 */
import { ApiMessageBody } from '../../contracts/index.js';

export type ApiParseResult =
  | { kind: 'message'; body: ApiMessageBody }
  | { kind: 'invalid'; details: { path: string; message: string }[] };

export function parseApiMessage(body: unknown): ApiParseResult {
  const parsed = ApiMessageBody.safeParse(body);
  if (parsed.success) return { kind: 'message', body: parsed.data };
  return {
    kind: 'invalid',
    details: parsed.error.issues.slice(0, 20).map((issue) => ({
      path: issue.path.join('.') || '(body)',
      message: issue.message,
    })),
  };
}
