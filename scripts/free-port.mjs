// A TCP port for a server that a test starts as a child process and must know in advance (it
// restarts it on the same port, or passes the port on its command line).
//
// Binding port 0 and releasing it (the usual trick) hands back a port from the kernel's ephemeral
// range (net.ipv4.ip_local_port_range, 32768-60999 on Linux), the same range every outgoing
// connection takes its local port from. With test files running in parallel, another process's
// connection or bind(0) can take that port between the release and the child's bind, and the child
// fails with EADDRINUSE. So the port is picked at random BELOW the ephemeral range (ports the
// kernel never hands out by itself), and checked free by binding it; only explicit choices like
// this one can collide, and the check plus the random pick make that rare.
// Servers that report the port they bound (`--port 0`) need none of this.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const SPAN = 12_000;

/** [low, high) of the ports to pick from: the SPAN ports below the ephemeral range. */
function pickRange() {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low - SPAN >= 1024) return [low - SPAN, low];
  } catch {
    // not Linux: fall through
  }
  return undefined;
}

const RANGE = pickRange();

/** Resolves with the port bound on 127.0.0.1 (0: any), released again; rejects if it is taken. */
function bindAndRelease(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** A TCP port on 127.0.0.1 that is free now and that the kernel does not hand out by itself. */
export async function freePort() {
  if (RANGE) {
    const [low, high] = RANGE;
    for (let attempt = 0; attempt < 40; attempt++) {
      const port = low + Math.floor(Math.random() * (high - low));
      try {
        return await bindAndRelease(port);
      } catch {
        // taken: try another
      }
    }
  }
  return bindAndRelease(0);
}
