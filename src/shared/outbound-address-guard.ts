/**
 * The guard on connections to URLs a bank registered (API-channel callbacks, webhook subscriptions): Ombuds
 * connects only to public addresses (outbound-address.ts) unless OUTBOUND_ALLOW_PRIVATE_NETWORKS is on.
 *
 * A host name is resolved once, by the guard's `lookup`; every address it resolves to must be public, and the
 * connection is then made to exactly those checked addresses (the lookup is what node:net connects with), so a DNS
 * answer that changes between the check and the connection (rebinding) cannot slip a private address in. An IP
 * literal skips lookup in node:net, so {@link OutboundAddressGuard.refuseUrl} judges it before any request. The
 * guard's own keep-alive agents hold only sockets opened through its lookup.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as lookupHost } from 'node:dns/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { OmbudsError, isOmbudsError } from './errors.js';
import { isPublicAddress, nonPublicHostReason } from './outbound-address.js';

export const ADDRESS_NOT_PUBLIC = 'OUTBOUND_ADDRESS_NOT_PUBLIC';

/** A connection was refused because its destination is not a public address: permanent, retrying cannot help. */
export class OutboundAddressNotPublic extends OmbudsError {
  constructor(reason: string) {
    super(ADDRESS_NOT_PUBLIC, `${reason}; Ombuds delivers only to public addresses (OUTBOUND_ALLOW_PRIVATE_NETWORKS is off)`, {
      httpStatus: 400,
      retryable: false,
    });
  }
}

export function isOutboundAddressNotPublic(error: unknown): error is OutboundAddressNotPublic {
  return isOmbudsError(error) && error.code === ADDRESS_NOT_PUBLIC;
}

/** Every address a host name resolves to (node:dns `lookup` with `all`, the system resolver, by default). */
export type AddressResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface OutboundAddressGuard {
  readonly allowPrivateNetworks: boolean;
  /** Why `url` may not be connected to on its face (localhost, a non-public IP literal); null when it may. */
  refuseUrl(url: URL): string | null;
  /** Resolves, refuses with {@link OutboundAddressNotPublic} if any address is not public, answers the checked ones. */
  readonly lookup: LookupFunction;
  /** A keep-alive agent whose sockets are all opened through {@link lookup}. */
  agentFor(protocol: 'http:' | 'https:'): HttpAgent;
}

const systemResolver: AddressResolver = (hostname) => lookupHost(hostname, { all: true, verbatim: true });

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

export function createOutboundAddressGuard(options: { allowPrivateNetworks: boolean; resolve?: AddressResolver }): OutboundAddressGuard {
  const resolve = options.resolve ?? systemResolver;
  const { allowPrivateNetworks } = options;

  const lookup: LookupFunction = (hostname: string, lookupOptions: LookupOptions, callback) => {
    resolve(hostname)
      .then((resolved) => {
        if (!allowPrivateNetworks) {
          const refused = resolved.find((entry) => !isPublicAddress(entry.address));
          if (refused) throw new OutboundAddressNotPublic(`${hostname} resolves to ${refused.address}, which is not a public address`);
        }
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const usable = family === 0 ? resolved : resolved.filter((entry) => entry.family === family);
        const first = usable[0];
        if (!first) throw notFound(hostname);
        if (lookupOptions.all) callback(null, usable);
        else callback(null, first.address, first.family);
      })
      .catch((error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), '');
      });
  };

  const agents = {
    'http:': new HttpAgent({ keepAlive: true, lookup }),
    'https:': new HttpsAgent({ keepAlive: true, lookup }),
  };

  return {
    allowPrivateNetworks,
    refuseUrl(url) {
      return allowPrivateNetworks ? null : nonPublicHostReason(url.hostname);
    },
    lookup,
    agentFor(protocol) {
      return agents[protocol];
    },
  };
}
