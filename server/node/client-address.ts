/**
 * The client's address behind reverse proxies (`--trust-proxy`), for the per-address rate limits
 * (chat starts, failed sign-ins) and the access log.
 *
 * Without `--trust-proxy` it is the TCP peer's address. With it, when the peer is one of the
 * trusted proxies, `X-Forwarded-For` is read from the right: each trusted address is skipped (a
 * chain of proxies), and the first one that is not trusted is the client. A client cannot forge
 * its way past this: what it puts in the header itself stands to the left of what the proxies
 * append. Entries: IP addresses, CIDR ranges (`10.0.0.0/8`, `fd00::/8`), or `loopback`
 * (127.0.0.0/8 and ::1), `private` (10/8, 172.16/12, 192.168/16, fc00::/7) as shorthands.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type ClientAddress = (req: IncomingMessage) => string;

const SHORTHANDS: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:10.0.0.1` → `10.0.0.1`; `[::1]` → `::1`. */
function plain(address: string): string {
  const a = address.trim().replace(/^\[(.*)\]$/, '$1');
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/** Parses `--trust-proxy` entries; throws with the bad entry named. */
export function trustList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of entries.flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean)) {
    for (const entry of SHORTHANDS[raw] ?? [raw]) {
      const [address = '', bits] = entry.split('/');
      const family = isIP(address);
      const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(`--trust-proxy "${raw}": use IP addresses, CIDR ranges (10.0.0.0/8), loopback or private`);
      }
      list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }
  return list;
}

export function clientAddress(trusted: BlockList | undefined): ClientAddress {
  const isTrusted = (address: string): boolean => {
    const family = isIP(address);
    return family !== 0 && trusted?.check(address, family === 6 ? 'ipv6' : 'ipv4') === true;
  };
  return (req) => {
    const peer = plain(req.socket.remoteAddress ?? '');
    if (!trusted || !isTrusted(peer)) return peer || '?';
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map(plain).filter(Boolean);
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? '';
      if (isIP(hop) === 0) break; // not an address: trust nothing further left
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}
