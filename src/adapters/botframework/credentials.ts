/**
 * The bot's identity for botframework-connector (its ServiceClientCredentialsFactory): which app id the channel
 * tokens must be addressed to, whether authentication is off (no app id: Emulator mode), and the credentials that
 * sign each connector call with the bot's client-credentials token from token.ts.
 *
 * Why not the SDK's PasswordServiceClientCredentialFactory: it gets tokens through MSAL, which accepts only https
 * authorities (`authorityUriInsecure`), discovers the authority's metadata over the network before the first token,
 * and hides the token endpoint's HTTP status and Retry-After inside its own errors and throttling cache, so a wrong
 * secret (permanent) and a 429 or 5xx (retry later) could not be told apart. token.ts speaks the same OAuth 2.0
 * client-credentials request to `BOTFRAMEWORK_TOKEN_ENDPOINT` and classifies its answers like any delivery.
 */
import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';
import type { TokenOutcome, TokenProvider } from './token.js';

/** The token endpoint did not give a token: the outcome says whether and when to retry. */
export class TokenUnavailable extends Error {
  readonly outcome: Extract<TokenOutcome, { ok: false }>;

  constructor(outcome: Extract<TokenOutcome, { ok: false }>) {
    super(outcome.error);
    this.name = 'TokenUnavailable';
    this.outcome = outcome;
  }
}

/** Emulator mode: connector calls go out without an Authorization header. */
const ANONYMOUS: ServiceClientCredentials = { signRequest: (webResource) => Promise.resolve(webResource) };

/**
 * `appId` undefined turns authentication off both ways (the SDK then accepts Activities without a token and sends
 * replies without one); with an app id, `tokens` signs every connector call.
 */
export class BotCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly signed: ServiceClientCredentials | null;

  constructor(
    private readonly appId: string | undefined,
    tokens: TokenProvider | null,
  ) {
    super();
    this.signed = tokens && {
      async signRequest(webResource) {
        const token = await tokens.token();
        if (!token.ok) throw new TokenUnavailable(token);
        webResource.headers.set('authorization', `Bearer ${token.token}`);
        return webResource;
      },
    };
  }

  /** The SDK passes the token's `aud` claim as it is: a list (or anything but our app id) is refused. */
  isValidAppId(candidate: unknown): Promise<boolean> {
    return Promise.resolve(this.appId !== undefined && candidate === this.appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(this.appId === undefined);
  }

  createCredentials(appId: string): Promise<ServiceClientCredentials> {
    if (this.appId === undefined || this.signed === null) return Promise.resolve(ANONYMOUS);
    if (appId !== this.appId) return Promise.reject(new Error('Bot Framework: credentials asked for another app id.'));
    return Promise.resolve(this.signed);
  }
}
