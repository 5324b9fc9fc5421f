/** Acme's simulator: accounts by id, each readable with its own token only. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AcmeSimulator {
  url: string;
  tenants: { name: string; accountId: string; token: string }[];
  /** Requests served, in order: `GET /accounts/acc-1 200`. */
  log: string[];
  close(): Promise<void>;
}

export async function startAcmeSimulator(): Promise<AcmeSimulator> {
  const accounts = new Map([
    ['acc-1', { token: 'token-1', name: 'Acme One' }],
    ['acc-2', { token: 'token-2', name: 'Acme Two' }],
  ]);
  const log: string[] = [];
  const server = createServer((req, res) => {
    const id = /^\/accounts\/([^/]+)$/.exec(req.url ?? '')?.[1];
    const account = id === undefined ? undefined : accounts.get(decodeURIComponent(id));
    const status = account === undefined ? 404 : req.headers.authorization === `Bearer ${account.token}` ? 200 : 401;
    log.push(`${req.method} ${req.url} ${status}`);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { id, name: account!.name } : { error: status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tenants: [...accounts].map(([accountId, { token }]) => ({ name: accountId, accountId, token })),
    log,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
