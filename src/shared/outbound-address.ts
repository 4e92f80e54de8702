/**
 * Which addresses Ombuds may send a POST to on a bank's say-so (API-channel callbacks, webhook subscriptions): a
 * public unicast address only. Loopback, private ranges (RFC 1918, unique-local), carrier-grade NAT, link-local
 * (where cloud metadata services answer, 169.254.169.254), benchmarking, documentation, multicast, reserved and
 * unspecified addresses are not public, so a key holder cannot make Ombuds reach internal services. IPv6 is public
 * only inside global unicast (2000::/3); an IPv6 address that carries an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is judged by that IPv4 address.
 *
 * Built on node:net's BlockList; no third-party address library is a direct dependency.
 */
import { BlockList, isIP } from 'node:net';

/** [network, prefix length] of every IPv4 range that is not public (IANA special-purpose registry). */
const IPV4_NOT_PUBLIC: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network", including 0.0.0.0
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

/** IPv6 ranges inside global unicast (2000::/3) that are still not public. */
const IPV6_NOT_PUBLIC: readonly (readonly [string, number])[] = [
  ['2001::', 32], // Teredo (hides the IPv4 address it reaches)
  ['2001:2::', 48], // benchmarking
  ['2001:10::', 28], // ORCHID
  ['2001:20::', 28], // ORCHIDv2
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
];

function blockList(ranges: readonly (readonly [string, number])[], type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, type);
  return list;
}

const ipv4NotPublic = blockList(IPV4_NOT_PUBLIC, 'ipv4');
const ipv6NotPublic = blockList(IPV6_NOT_PUBLIC, 'ipv6');
const ipv6GlobalUnicast = blockList([['2000::', 3]], 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function dottedQuad(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The IPv4 address an IPv6 address stands for (IPv4-mapped, NAT64 well-known prefix, 6to4); null for others. */
export function embeddedIpv4(address: string): string | null {
  const groups = ipv6Groups(address);
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return dottedQuad(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return dottedQuad(g6, g7);
  if (g0 === 0x2002) return dottedQuad(g1, g2);
  return null;
}

/**
 * True when `address` (an IPv4 or IPv6 literal; an IPv6 zone such as `%eth0` is ignored) is a public unicast
 * address. Anything that is not an IP address at all is not public.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '');
  switch (isIP(bare)) {
    case 4:
      return !ipv4NotPublic.check(bare, 'ipv4');
    case 6: {
      const ipv4 = embeddedIpv4(bare);
      if (ipv4 !== null) return isPublicAddress(ipv4);
      return ipv6GlobalUnicast.check(bare, 'ipv6') && !ipv6NotPublic.check(bare, 'ipv6');
    }
    default:
      return false;
  }
}

/**
 * Why a URL's host is not a public destination without resolving it: `localhost` (and `*.localhost`), or an IP
 * literal that is not public. Null when nothing is wrong on its face (a name still has to resolve to public
 * addresses when Ombuds connects: outbound-address-guard.ts). `hostname` is `URL.hostname` (IPv6 in brackets, IPv4
 * already normalised from forms such as `0x7f.1` or `2130706433`).
 */
export function nonPublicHostReason(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (literal === 'localhost' || literal.endsWith('.localhost')) return `${hostname} is this machine (localhost)`;
  if (isIP(literal) !== 0 && !isPublicAddress(literal)) return `${literal} is not a public address (loopback, private, link-local or reserved)`;
  return null;
}
