import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SandboxClock } from './clock.js';
import type { FaultPlan } from './faults.js';
import { Ledger } from './ledger.js';
import type { SandboxRequest, SandboxResponse, VendorApp } from './types.js';

/** Bodies above this size get 413; no vendor operation here takes more than a few KB. */
const MAX_BODY_BYTES = 1024 * 1024;
export const CONTROL_PREFIX = '/__sandbox/';

export interface VendorServerOptions {
  app: VendorApp;
  ledger: Ledger;
  faults: FaultPlan;
  clock: SandboxClock;
  /** Serves `/__sandbox/…`; such requests never reach the simulator or the ledger. */
  control: (req: SandboxRequest) => Promise<SandboxResponse>;
  port?: number;
  host?: string;
}

export interface VendorServer {
  url: string;
  /**
   * Stops listening and cuts every connection, as a vendor that went away: callers then get
   * ECONNREFUSED (or a reset mid-request) until `listen()`.
   */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  listen(): Promise<void>;
  close(): Promise<void>;
}

/** One vendor on its own port: body parsing, faults, limits, ledger, then the simulator. */
export async function startVendorServer(options: VendorServerOptions): Promise<VendorServer> {
  const { app, ledger, faults, clock } = options;
  const hung = new Set<{ timer: NodeJS.Timeout; socket: Socket }>();
  let baseUrl = '';

  const server = createServer((incoming, outgoing) => {
    readBody(incoming).then(
      (body) => serve(incoming, outgoing, body),
      () => send(outgoing, { status: 413, body: { message: 'Request body too large' } }),
    );
  });
  // Benchmarks open many keep-alive connections; don't let Node's defaults cut them short.
  server.keepAliveTimeout = 65_000;

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer): Promise<void> {
    const rawUrl = incoming.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const req: SandboxRequest = {
      method: (incoming.method ?? 'GET').toUpperCase(),
      path: queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt),
      query: new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)),
      headers: incoming.headers,
      body,
    };
    if (req.path.startsWith(CONTROL_PREFIX)) {
      send(outgoing, await options.control(req).catch(controlFailure));
      return;
    }

    const started = clock.now();
    const startedAt = performance.now();
    let tenant: string | undefined;
    try {
      tenant = app.tenantOf(req);
    } catch {
      tenant = undefined;
    }
    const record = (status: number, fault?: string) =>
      ledger.record({
        vendor: app.vendor,
        method: req.method,
        path: req.path,
        query: queryObject(req.query),
        tenant,
        status,
        time: new Date(started).toISOString(),
        durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
        headers: Ledger.recordedHeaders(incoming.headers),
        ...(fault ? { fault } : {}),
      });

    faults.enter(tenant);
    const arrivalEnv = { baseUrl, now: started, tokenLifetimeS: faults.config.tokenLifetimeS };
    let settle: (() => void) | undefined;
    try {
      settle = app.admit?.(req, arrivalEnv);
      const decision = faults.decide({ method: req.method, path: req.path, tenant, now: started });
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      const env = { ...arrivalEnv, now: clock.now() };
      switch (decision.action) {
        case 'fail': {
          const response = app.failureResponse(decision.failure, req);
          send(outgoing, response);
          record(response.status, decision.fault);
          return;
        }
        case 'drop':
          record(0, decision.fault);
          incoming.socket.destroy();
          return;
        case 'respond':
          send(outgoing, decision.response);
          record(decision.response.status, decision.fault);
          return;
        case 'hang': {
          let status = 0;
          if (decision.applyFirst) status = (await handleSafely(req, env)).status;
          record(status, decision.fault);
          const entry = { socket: incoming.socket, timer: setTimeout(() => release(entry), decision.hangMs) };
          hung.add(entry);
          return;
        }
        case 'serve': {
          const response = await handleSafely(req, env);
          send(outgoing, response);
          record(response.status);
          return;
        }
      }
    } finally {
      settle?.();
      faults.leave(tenant);
    }
  }

  /** A simulator bug must still look like the vendor's 500, and be loud in the sandbox's own output. */
  async function handleSafely(req: SandboxRequest, env: Parameters<VendorApp['handle']>[1]): Promise<SandboxResponse> {
    try {
      return await app.handle(req, env);
    } catch (error) {
      console.error(`[sandbox:${app.vendor}] unhandled error for ${req.method} ${req.path}:`, error);
      return app.failureResponse({ kind: 'server-error', status: 500 }, req);
    }
  }

  function release(entry: { timer: NodeJS.Timeout; socket: Socket }): void {
    clearTimeout(entry.timer);
    entry.socket.destroy();
    hung.delete(entry);
  }

  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.address}:${address.port}`;
  const stop = async (): Promise<void> => {
    if (!server.listening) return;
    for (const entry of hung) release(entry);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    url: baseUrl,
    stop,
    listen: async () => {
      if (!server.listening) await listen(address.port);
    },
    close: stop,
  };
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        incoming.resume();
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function send(outgoing: ServerResponse, response: SandboxResponse): void {
  if (outgoing.writableEnded || outgoing.destroyed) return;
  const headers: Record<string, string | number> = { ...response.headers };
  let payload: string | Buffer | undefined;
  if (response.body === undefined) {
    payload = undefined;
  } else if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) {
    payload = response.body;
  } else {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = payload === undefined ? 0 : Buffer.byteLength(payload);
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}

function controlFailure(error: unknown): SandboxResponse {
  return { status: 500, body: { message: `sandbox control failed: ${error instanceof Error ? error.message : String(error)}` } };
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
