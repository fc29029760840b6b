import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

export interface RunningHttp {
  port: number;
  close(): Promise<void>;
}

export async function startHttp(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
  /** PEM files: serve HTTPS instead of HTTP. */
  tls?: { certFile: string; keyFile: string },
): Promise<RunningHttp> {
  const secure = tls
    ? {
        createServer: createHttpsServer,
        serverOptions: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
      }
    : {};
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch, port, hostname: host, ...secure }, () => resolve(s));
    s.once('error', reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
