/**
 * Limits on the client sockets of the gateway's node:http server, so that a slow or stalled client
 * holds a socket (and what it buffers) for a bounded time, and the sockets are bounded in number:
 *
 *   headersTimeoutMs      headers not all received: 408 (Node's `headersTimeout`)
 *   requestTimeoutMs      request and body not all received: 408 (Node's `requestTimeout`)
 *   keepAliveTimeoutMs    no next request on a keep-alive socket: closed (Node's `keepAliveTimeout`)
 *   idleTimeoutMs         no traffic and no request executing: closed (Node's `timeout`, judged here)
 *   writeStallTimeoutMs   answer bytes waiting that the client takes none of: destroyed (here)
 *   maxConnections        a socket past the cap is closed as it connects (Node's `maxConnections`)
 *
 * Node checks the headers and request timeouts every `connectionsCheckingInterval` (30 s by
 * default, which would let a 10 s limit run to 40 s), so the check runs at a quarter of the
 * shorter one. A client that never reads a large answer sends nothing and is sent nothing Node
 * can see: its socket holds the answer in its write queue forever. Every socket with bytes
 * waiting is looked at on the same rhythm, and one that made no progress (its queue in Node and
 * in libuv never shrank) for `writeStallTimeoutMs` is destroyed.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  writeStallTimeoutMs: number;
  maxConnections: number;
}

/** Why the gateway closed a client's socket itself (the headers and request timeouts answer 408 in Node). */
export type ConnectionClosure = 'write_stall' | 'idle' | 'over_cap';

/** Options only `http.createServer` takes. */
export function connectionServerOptions(limits: ConnectionLimits): http.ServerOptions {
  return { connectionsCheckingInterval: checkEvery(limits) };
}

/** Applies `limits` to `server` for as long as it runs; `onClosed` hears each socket the gateway closes. */
export function guardConnections(server: http.Server, limits: ConnectionLimits, onClosed: (reason: ConnectionClosure) => void = () => {}): void {
  // Node refuses a headers timeout above the request timeout: the whole request includes its headers.
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.timeout = limits.idleTimeoutMs;

  const executing = new WeakSet<Socket>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    executing.add(socket);
    res.once('close', () => executing.delete(socket));
    res.once('finish', () => executing.delete(socket));
  });
  // With a listener, Node leaves a timed-out socket to it. A request still executing (waiting on
  // vendors, within its own deadline) is not idle; Node starts the clock again at its next write.
  server.on('timeout', (socket: Socket) => {
    if (pendingBytes(socket) > 0) return close(socket, 'write_stall');
    if (!executing.has(socket)) close(socket, 'idle');
  });
  server.on('drop', () => onClosed('over_cap'));

  const open = new Map<Socket, WriteProgress>();
  server.on('connection', (socket: Socket) => {
    open.set(socket, { queued: 0, handed: 0, since: 0 });
    socket.once('close', () => open.delete(socket));
  });
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [socket, progress] of open) {
      if (stalled(socket, progress, now, limits.writeStallTimeoutMs)) close(socket, 'write_stall');
    }
  }, checkEvery(limits));
  sweep.unref();
  server.once('close', () => clearInterval(sweep));

  function close(socket: Socket, reason: ConnectionClosure): void {
    if (socket.destroyed) return;
    open.delete(socket);
    socket.destroy();
    onClosed(reason);
  }
}

/** A socket's write queue when last looked at, and since when it has not shrunk. */
interface WriteProgress {
  /** Bytes queued in Node's stream (`writableLength`). */
  queued: number;
  /** Bytes handed to libuv and not yet sent (`_handle.writeQueueSize`): a large write shrinks here first. */
  handed: number;
  /** When the queue was last seen to shrink, or 0 while it is empty. */
  since: number;
}

function stalled(socket: Socket, progress: WriteProgress, now: number, stallMs: number): boolean {
  const queued = socket.writableLength;
  const handed = handleQueue(socket);
  const moved = queued < progress.queued || handed < progress.handed;
  progress.queued = queued;
  progress.handed = handed;
  if (queued + handed === 0) {
    progress.since = 0;
    return false;
  }
  if (moved || progress.since === 0) progress.since = now;
  return now - progress.since >= stallMs;
}

function pendingBytes(socket: Socket): number {
  return socket.writableLength + handleQueue(socket);
}

/** libuv's write queue, which Node's own socket timeout reads the same way (net.Socket `_onTimeout`). */
function handleQueue(socket: Socket): number {
  const handle = (socket as unknown as { _handle?: { writeQueueSize?: unknown } | null })._handle;
  return typeof handle?.writeQueueSize === 'number' ? handle.writeQueueSize : 0;
}

function checkEvery(limits: ConnectionLimits): number {
  return Math.max(25, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs, limits.writeStallTimeoutMs) / 4)));
}
