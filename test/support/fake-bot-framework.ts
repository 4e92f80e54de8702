/**
 * A local Bot Framework, speaking its real HTTP protocol on 127.0.0.1 (port 0), for the botframework adapter's tests:
 *
 * - channel → bot auth: `GET /v1/.well-known/openidconfiguration` (OpenID metadata whose `jwks_uri` points here) and
 *   `GET /v1/.well-known/keys` (a JWKS whose keys carry `endorsements`, as login.botframework.com's do), as
 *   botframework-connector's OpenIdMetadata reads them, plus `mintToken()`, which signs channel tokens (RS256, jose)
 *   with the published key or with a key nobody published. The SDK caches keys per metadata URL for the whole
 *   process: a test that counts metadata requests or scripts their failure starts a fake of its own;
 * - bot → channel auth: `POST /{tenant}/oauth2/v2.0/token` (Azure AD client credentials; it checks the form and
 *   issues a long access token, longer than 2 KB like real ones can be);
 * - the Bot Connector for `serviceUrl`: `POST /v3/conversations/{conversationId}/activities[/{activityId}]`,
 *   answering `{"id": …}`, and 401 to a request without a token the token endpoint issued (when a client is set).
 *
 * Every request is recorded; each of the three parts takes scripted answers (429 with Retry-After, 500, 403, a hang,
 * a dropped connection) from the fake receiver's `reply` helpers, in order, before its normal behaviour (the
 * connector's scripts answer message Activities only; `typing` ones are always answered normally).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { answerReply, parseJson, readBody, type ReceivedRequest, type ReceiverReply } from './fake-receiver.js';

export const FAKE_ISSUER = 'https://api.botframework.com';
export const DEFAULT_ENDORSEMENTS = ['emulator', 'webchat', 'directline', 'msteams', 'test'];

export interface FakeBotFrameworkOptions {
  /** The bot's credentials the token endpoint accepts; when set, the connector demands an issued token. */
  client?: { appId: string; appPassword: string };
  endorsements?: string[];
}

export interface MintOptions {
  /** Claims to set or (with undefined) leave out; defaults: iss, aud = client app id, serviceurl, nbf, exp in 1 h. */
  claims?: Partial<Record<'iss' | 'aud' | 'serviceurl' | 'exp' | 'nbf', string | number | string[] | undefined>>;
  /** More claims, as they are (e.g. a `tid`, which channel tokens do not carry). */
  extraClaims?: Record<string, unknown>;
  /** Sign with a key the JWKS does not publish (under the published kid unless `kid` says otherwise). */
  untrustedKey?: boolean;
  kid?: string;
}

export interface FakeBotFramework {
  url: string;
  openIdMetadataUrl: string;
  tokenEndpoint: string;
  kid: string;
  metadataRequests: ReceivedRequest[];
  tokenRequests: ReceivedRequest[];
  connectorRequests: ReceivedRequest[];
  /** Access tokens the token endpoint has issued. */
  issuedTokens: string[];
  scriptMetadata(...replies: ReceiverReply[]): void;
  scriptToken(...replies: ReceiverReply[]): void;
  scriptConnector(...replies: ReceiverReply[]): void;
  mintToken(options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  response.end(body === undefined ? '' : JSON.stringify(body));
}


const CONNECTOR_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

export async function startFakeBotFramework(options: FakeBotFrameworkOptions = {}): Promise<FakeBotFramework> {
  const trusted = await generateKeyPair('RS256', { extractable: true });
  const untrusted = await generateKeyPair('RS256', { extractable: true });
  const kid = 'fake-bf-key-1';
  const publicJwk = { ...(await exportJWK(trusted.publicKey)), kid, use: 'sig', endorsements: options.endorsements ?? DEFAULT_ENDORSEMENTS };
  const scripts = { metadata: [] as ReceiverReply[], token: [] as ReceiverReply[], connector: [] as ReceiverReply[] };
  const metadataRequests: ReceivedRequest[] = [];
  const tokenRequests: ReceivedRequest[] = [];
  const connectorRequests: ReceivedRequest[] = [];
  const issuedTokens: string[] = [];
  let url = '';
  let replies = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const rawBody = await readBody(request);
    const path = request.url ?? '/';
    const pathname = path.split('?')[0] ?? '/';
    const record = (into: ReceivedRequest[], reply: ReceiverReply): void => {
      into.push({ method: request.method ?? 'GET', path, headers: request.headers, rawBody, json: parseJson(rawBody), reply });
    };
    const scripted = (queue: ReceiverReply[], into: ReceivedRequest[]): boolean => {
      const chosen = queue.shift();
      if (!chosen) return false;
      record(into, chosen);
      answerReply(response, chosen);
      return true;
    };

    if (request.method === 'GET' && pathname.startsWith('/v1/.well-known/')) {
      if (scripted(scripts.metadata, metadataRequests)) return;
      record(metadataRequests, { type: 'status', status: 200 });
      if (pathname === '/v1/.well-known/openidconfiguration') {
        send(response, 200, { issuer: FAKE_ISSUER, jwks_uri: `${url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
      } else if (pathname === '/v1/.well-known/keys') send(response, 200, { keys: [publicJwk] });
      else send(response, 404, { error: 'not found' });
      return;
    }

    if (request.method === 'POST' && TOKEN_PATH.test(pathname)) {
      if (scripted(scripts.token, tokenRequests)) return;
      const form = new URLSearchParams(rawBody);
      const valid =
        options.client !== undefined &&
        form.get('grant_type') === 'client_credentials' &&
        form.get('client_id') === options.client.appId &&
        form.get('client_secret') === options.client.appPassword &&
        form.get('scope') === 'https://api.botframework.com/.default';
      if (!valid) {
        record(tokenRequests, { type: 'status', status: 401 });
        send(response, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        return;
      }
      const accessToken = `fake-access-${String(issuedTokens.length + 1)}-${'x'.repeat(2500)}`;
      issuedTokens.push(accessToken);
      record(tokenRequests, { type: 'status', status: 200 });
      send(response, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
      return;
    }

    if (request.method === 'POST' && CONNECTOR_PATH.test(pathname)) {
      // Scripted answers are for messages: a typing indicator sent meanwhile does not take one.
      const typing = (parseJson(rawBody) as { type?: unknown } | undefined)?.type === 'typing';
      if (!typing && scripted(scripts.connector, connectorRequests)) return;
      const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (options.client !== undefined && (presented === undefined || !issuedTokens.includes(presented))) {
        record(connectorRequests, { type: 'status', status: 401 });
        send(response, 401, { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } });
        return;
      }
      replies += 1;
      record(connectorRequests, { type: 'status', status: 200 });
      send(response, 200, { id: `reply-${String(replies)}` });
      return;
    }

    send(response, 404, { error: 'not found' });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;

  return {
    url,
    openIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
    tokenEndpoint: `${url}/botframework.com/oauth2/v2.0/token`,
    kid,
    metadataRequests,
    tokenRequests,
    connectorRequests,
    issuedTokens,
    scriptMetadata: (...replies) => scripts.metadata.push(...replies),
    scriptToken: (...replies) => scripts.token.push(...replies),
    scriptConnector: (...replies) => scripts.connector.push(...replies),
    async mintToken(mint: MintOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const defaults: JWTPayload = { iss: FAKE_ISSUER, aud: options.client?.appId ?? 'app-id', serviceurl: url, nbf: now - 60, exp: now + 3600 };
      const claims: JWTPayload = { ...defaults, ...mint.extraClaims };
      for (const name of ['iss', 'aud', 'serviceurl', 'exp', 'nbf'] as const) {
        if (!mint.claims || !(name in mint.claims)) continue;
        const value = mint.claims[name];
        if (value === undefined) Reflect.deleteProperty(claims, name);
        else Reflect.set(claims, name, value);
      }
      const key: CryptoKey = mint.untrustedKey ? untrusted.privateKey : trusted.privateKey;
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: mint.kid ?? kid }).sign(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
