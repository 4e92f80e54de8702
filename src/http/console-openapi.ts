/**
 * Console sign-in in the OpenAPI document (session-routes.ts, decision 0014): the session schemas (from
 * src/contracts/console.ts), the `consoleSession` cookie security scheme — accepted by every staff operation besides
 * the staff key — and the `/console/api/session` path item, added by openapi.ts.
 */
import type { z } from 'zod';
import { CSRF_HEADER, SESSION_COOKIE, SessionView, SignInBody } from '../contracts/index.js';
import { SESSION_BODY_LIMIT_BYTES, SESSION_PATH } from './session-routes.js';

type JsonObject = Record<string, unknown>;

export const CONSOLE_SESSION_INPUT_SCHEMAS: Record<string, z.ZodType> = { SignInBody };
export const CONSOLE_SESSION_OUTPUT_SCHEMAS: Record<string, z.ZodType> = { SessionView };

export const CONSOLE_SESSION_SCHEME = 'consoleSession';

export const CONSOLE_SECURITY_SCHEMES: Record<string, JsonObject> = {
  [CONSOLE_SESSION_SCHEME]: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `The console's session cookie, set by \`POST ${SESSION_PATH}\` (HttpOnly, SameSite=Strict). Accepted wherever a staff key is. A request other than GET/HEAD/OPTIONS made with it must send \`X-CSRF-Token\` (the session's \`csrfToken\`) and, if the browser sends \`Origin\`, come from this origin; otherwise 403 \`CSRF_INVALID\`. It ends after CONSOLE_IDLE_TIMEOUT_MS unused or CONSOLE_SESSION_MAX_MS after sign-in.`,
  },
};

/** Every operation that takes a staff key takes the session cookie too. */
export function withConsoleSession(paths: Record<string, JsonObject>): Record<string, JsonObject> {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item) as { security?: Record<string, unknown[]>[] }[]) {
      const security = operation.security;
      if (security?.some((requirement) => 'staffKey' in requirement) && !security.some((requirement) => CONSOLE_SESSION_SCHEME in requirement)) {
        security.push({ [CONSOLE_SESSION_SCHEME]: [] });
      }
    }
  }
  return paths;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });
const NO_STORE = { 'Cache-Control': { description: '`no-store`: the answer holds the CSRF token.', schema: { type: 'string' } } };

export function consoleSessionPathItems(): Record<string, JsonObject> {
  return {
    [SESSION_PATH]: {
      post: {
        summary: 'Sign in to the staff console',
        description: `With a staff API key (\`{"apiKey"}\`) or a username and password (\`{"username", "password"}\`; set with \`ombuds staff password\`). Sets the \`${SESSION_COOKIE}\` cookie (HttpOnly, SameSite=Strict, Path=/, Secure over TLS or with CONSOLE_COOKIE_SECURE) to a new session — a session cookie the request carried is ended, never reused. Every wrong credential (unknown user, wrong password or key, no password set, disabled account) answers the same 401. Failed sign-ins are limited per username (CONSOLE_SIGNIN_MAX_FAILURES) and per client address (CONSOLE_SIGNIN_MAX_FAILURES_PER_ADDRESS) in CONSOLE_SIGNIN_WINDOW_MS, counted in each Ombuds process. Body ≤ ${String(SESSION_BODY_LIMIT_BYTES)} bytes.`,
        operationId: 'signIn',
        requestBody: { required: true, content: jsonContent('SignInBody') },
        responses: {
          '200': {
            description: `Signed in: who, the CSRF token to send as \`${CSRF_HEADER}\`, and when the session ends.`,
            headers: { ...NO_STORE, 'Set-Cookie': { description: `\`${SESSION_COOKIE}=<token>; Path=/; HttpOnly; SameSite=Strict\` (and \`Secure\`).`, schema: { type: 'string' } } },
            content: jsonContent('SessionView'),
          },
          '400': errorResponse('Malformed JSON (`PAYLOAD_MALFORMED`) or neither an API key nor a username and password (`PAYLOAD_INVALID`).'),
          '401': errorResponse('The credentials are not valid (`INVALID_CREDENTIALS`), whatever was wrong.'),
          '403': errorResponse('Sent from another origin (`CSRF_INVALID`).'),
          '413': errorResponse(`Body larger than ${String(SESSION_BODY_LIMIT_BYTES)} bytes (\`PAYLOAD_TOO_LARGE\`).`),
          '415': errorResponse('Not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).'),
          '429': errorResponse('Too many failed sign-ins for this username or from this address (`TOO_MANY_ATTEMPTS`); wait `Retry-After` seconds.'),
          '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`).'),
        },
      },
      get: {
        summary: 'The signed-in staff member and their session',
        description: 'The console calls it on load: 200 when the session cookie is live (its use is recorded, which slides the idle timeout), 401 when it must sign in.',
        operationId: 'getSession',
        security: [{ [CONSOLE_SESSION_SCHEME]: [] }],
        responses: {
          '200': { description: 'Signed in.', headers: NO_STORE, content: jsonContent('SessionView') },
          '401': errorResponse('No session cookie, or its session ended: idle, past its lifetime, signed out, or the account disabled (`UNAUTHENTICATED`).'),
          '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`).'),
        },
      },
      delete: {
        summary: 'Sign out',
        description: `Ends the session (its row is deleted: the cookie stops working everywhere at once) and clears the cookie. Needs \`${CSRF_HEADER}\`.`,
        operationId: 'signOut',
        security: [{ [CONSOLE_SESSION_SCHEME]: [] }],
        parameters: [{ name: 'X-CSRF-Token', in: 'header', required: true, schema: { type: 'string' }, description: 'The session’s `csrfToken`.' }],
        responses: {
          '204': { description: 'Signed out; the cookie is cleared.' },
          '401': errorResponse('No live session (`UNAUTHENTICATED`).'),
          '403': errorResponse('Without the session’s CSRF token, or from another origin (`CSRF_INVALID`).'),
          '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`).'),
        },
      },
    },
  };
}
