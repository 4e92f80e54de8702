/**
 * The smallest JWS (compact JWT) reader the Bot Framework channel token needs: split, decode the header and claims
 * with zod, and check an RSA signature (RS256/RS384/RS512 only, the algorithms the Bot Framework allows) with
 * node:crypto. Claim checks (issuer, audience, lifetime, serviceurl) live in verify.ts.
 *
 * Only RSA keys are accepted and only the three RSA algorithms, so neither `alg: none` nor an HMAC-with-public-key
 * confusion can get through.
 */
import { createPublicKey, verify as verifySignature, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import { z } from 'zod';

const ALGORITHMS = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;
export type JwtAlgorithm = keyof typeof ALGORITHMS;

const JwtHeader = z.object({
  alg: z.enum(['RS256', 'RS384', 'RS512']),
  kid: z.string().min(1).max(256),
  typ: z.string().optional(),
});
export type JwtHeader = z.infer<typeof JwtHeader>;

/** The claims a Bot Framework channel token carries (others are kept but unchecked). */
export const JwtClaims = z.looseObject({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  nbf: z.number().optional(),
  iat: z.number().optional(),
  serviceurl: z.string().optional(),
});
export type JwtClaims = z.infer<typeof JwtClaims>;

/** One key of a JWKS, as the Bot Framework publishes it (with the channels it endorses). */
export const RsaJwk = z.looseObject({
  kty: z.literal('RSA'),
  kid: z.string().min(1),
  n: z.string().min(1),
  e: z.string().min(1),
  use: z.string().optional(),
  endorsements: z.array(z.string()).optional(),
});
export type RsaJwk = z.infer<typeof RsaJwk>;

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  /** `<header>.<payload>`: what the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
}

/** The token's parts, or null when it is not a well-formed RSA-signed JWT with the claims we need. */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [headerPart, payloadPart, signaturePart] = parts;
  if (!headerPart || !payloadPart || !signaturePart) return null;
  if (![headerPart, payloadPart, signaturePart].every((part) => SEGMENT.test(part))) return null;
  let header: unknown;
  let claims: unknown;
  try {
    header = decodeSegment(headerPart);
    claims = decodeSegment(payloadPart);
  } catch {
    return null;
  }
  const parsedHeader = JwtHeader.safeParse(header);
  const parsedClaims = JwtClaims.safeParse(claims);
  if (!parsedHeader.success || !parsedClaims.success) return null;
  return {
    header: parsedHeader.data,
    claims: parsedClaims.data,
    signingInput: `${headerPart}.${payloadPart}`,
    signature: Buffer.from(signaturePart, 'base64url'),
  };
}

/** True when `key` signed the token with the algorithm its header names. */
export function hasValidSignature(decoded: DecodedJwt, key: RsaJwk): boolean {
  try {
    const publicKey = createPublicKey({ key: { kty: key.kty, n: key.n, e: key.e } satisfies NodeJsonWebKey, format: 'jwk' });
    return verifySignature(ALGORITHMS[decoded.header.alg], Buffer.from(decoded.signingInput), publicKey, decoded.signature);
  } catch {
    return false;
  }
}
