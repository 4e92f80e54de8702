/*
 * The console's only way to the server: `api(path, options)` calls the staff API with the session cookie
 * (credentials same-origin), sends JSON, adds `X-CSRF-Token` to every request that changes something, and turns
 * an error answer into an ApiError carrying the API's code, message and details. A 401 means the session ended:
 * the handler set with `onSignedOut` shows the sign-in page.
 */
const CSRF_HEADER = 'X-CSRF-Token';

let csrfToken = null;
let signedOutHandler = () => undefined;

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }
}

export function isApiError(error) {
  return typeof error === 'object' && error !== null && error.name === 'ApiError' && typeof error.code === 'string';
}

export function setCsrfToken(token) {
  csrfToken = token;
}

export function onSignedOut(handler) {
  signedOutHandler = handler;
}

/** `?a=1&b=2` from an object, leaving out empty values. */
export function queryString(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

async function errorOf(response) {
  const body = await response.json().catch(() => null);
  const error = body && typeof body === 'object' ? body.error : null;
  const code = error && typeof error.code === 'string' ? error.code : `HTTP_${String(response.status)}`;
  const message = error && typeof error.message === 'string' ? error.message : response.statusText || 'Request failed';
  return new ApiError(response.status, code, message, error ? error.details : []);
}

/**
 * Calls the API. `options.body` is sent as JSON; `options.headers` are added. Answers the parsed JSON body,
 * `null` for 204, or throws an ApiError (status 0, code NETWORK_ERROR when the server could not be reached).
 */
export async function api(path, options = {}) {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers = { Accept: 'application/json', ...(options.headers ?? {}) };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached.', []);
  }
  if (response.status === 401 && !options.allowUnauthenticated) {
    const error = await errorOf(response);
    signedOutHandler(error);
    throw error;
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

/** A random idempotency key for one submission of a form (a double click repeats the same key). */
export function newIdempotencyKey() {
  return crypto.randomUUID();
}
