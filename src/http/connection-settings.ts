/**
 * `config.server`'s connection limits (src/http/guard-connections.ts): how long a client may take
 * to send a request, to stay idle, and to take its answer, and how many sockets may be open.
 * Node's own defaults let a slow client hold a socket for minutes: 60 s to send headers, 300 s to
 * send a body one byte at a time, and forever for a client that never reads a large answer.
 */
import { integer } from '../lib/config-values.js';
import { setting } from '../config/setting.js';

export const CONNECTION_SETTINGS = {
  // A client sends its headers in one or two packets; 10 s covers a slow link's retransmits, and a
  // client that trickles them (slowloris) holds a socket for 10 s, not Node's 60.
  headersTimeoutMs: setting({
    env: 'INTERLINK_HEADERS_TIMEOUT_MS',
    file: 'server.headersTimeoutMs',
    parser: integer(100, 600_000, 'ms'),
    default: 10_000,
    description: "Time from a connection (or a keep-alive request's start) to the end of its headers; then 408 and the socket closes.",
  }),
  // The largest body (1 MB) arrives within 30 s at 35 KB/s; Node's 300 s kept a body trickled a
  // byte a second for five minutes.
  requestTimeoutMs: setting({
    env: 'INTERLINK_REQUEST_TIMEOUT_MS',
    file: 'server.requestTimeoutMs',
    parser: integer(100, 600_000, 'ms'),
    default: 30_000,
    description: 'Time to receive a whole request, headers and body; then 408 and the socket closes. The headers timeout is at most this.',
  }),
  // A backstop: no byte either way and no request executing (a request waiting on vendors is not idle).
  idleTimeoutMs: setting({
    env: 'INTERLINK_IDLE_TIMEOUT_MS',
    file: 'server.idleTimeoutMs',
    parser: integer(100, 3_600_000, 'ms'),
    default: 120_000,
    description: 'A socket with no traffic and no request executing for this long is closed.',
  }),
  // Node's default. Behind a load balancer that reuses connections, set it above the balancer's
  // idle timeout (AWS ALB: 60 s, so 65000), or the balancer may send on a socket being closed.
  keepAliveTimeoutMs: setting({
    env: 'INTERLINK_KEEP_ALIVE_TIMEOUT_MS',
    file: 'server.keepAliveTimeoutMs',
    parser: integer(0, 3_600_000, 'ms'),
    default: 5_000,
    description: 'How long a keep-alive socket waits for its next request; `0` closes it after each answer.',
  }),
  // An answer is at most a few MB; a client reading at all takes some of it every few ms. One
  // that takes none for 30 s holds the answer's bytes and a socket until it is cut.
  writeStallTimeoutMs: setting({
    env: 'INTERLINK_WRITE_STALL_TIMEOUT_MS',
    file: 'server.writeStallTimeoutMs',
    parser: integer(100, 600_000, 'ms'),
    default: 30_000,
    description: 'A socket with answer bytes waiting that the client has taken none of for this long is destroyed.',
  }),
  // Admission bounds the requests executing; this bounds the sockets around them. Each holds a
  // file descriptor and up to a few hundred KB of kernel and Node buffers.
  maxConnections: setting({
    env: 'INTERLINK_MAX_CONNECTIONS',
    file: 'server.maxConnections',
    parser: integer(1, 1_000_000),
    default: 4096,
    description: 'Open client sockets; a connection past it is closed at once.',
  }),
};
