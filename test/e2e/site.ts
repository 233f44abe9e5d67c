/**
 * An integrator's own site for the cross-origin tests (strict-pages, embed-docs): a tiny HTTP
 * server on a free port of 127.0.0.1, so its origin differs from the chat server's. Pages are
 * fixed bodies (with an optional Content-Security-Policy); `route` adds a handler of its own
 * (a CRM backend). `useSite()` starts it before the file's tests and stops it after them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';

export interface SiteResponse {
  status: number;
  type: string;
  body: string;
  csp?: string;
}

export class Site {
  private server: Server | undefined;
  private readonly routes = new Map<string, (method: string) => Promise<SiteResponse>>();
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const handler = this.routes.get((req.url ?? '/').split('?')[0] ?? '/');
      const response: Promise<SiteResponse> = handler ? handler(req.method ?? 'GET') : Promise.resolve({ status: 404, type: 'text/plain', body: 'not found' });
      void response.then(
        ({ status, type, body, csp }) => res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...(csp ? { 'Content-Security-Policy': csp } : {}) }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  /** A fixed page or script at `path`. */
  serve(path: string, type: string, body: string, csp?: string): void {
    this.route(path, () => Promise.resolve({ status: 200, type, body, ...(csp ? { csp } : {}) }));
  }

  /** A handler of its own at `path` (any method). */
  route(path: string, handler: (method: string) => Promise<SiteResponse>): void {
    this.routes.set(path, handler);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}

/**
 * A site for this test file, started before its tests (and so before a scenario's chat server,
 * which is told to allow its origin) and stopped after them.
 */
export function useSite(): Site {
  const site = new Site();
  before(async () => {
    await site.start();
  });
  after(async () => {
    await site.stop();
  });
  return site;
}
