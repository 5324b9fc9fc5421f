/**
 * One HTTP request with nothing smoothed over, for inputs `fetch` will not send: a header given
 * twice (`authorization: [a, b]` goes out as two lines), a chunked body without content-length,
 * any method, or header lines written verbatim on the socket (CR inside a value).
 */
import http from 'node:http';
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** Default `/graphql`. */
  path?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** Send the body in chunks with no content-length. */
  chunked?: boolean;
  /** Header lines written as they are, over a plain socket (Node's client refuses CR and LF in values). */
  rawHeaderLines?: string[];
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  body: any;
}

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  return request.rawHeaderLines === undefined ? viaHttp(baseUrl, request) : viaSocket(baseUrl, request);
}

function viaHttp(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const url = new URL(request.path ?? '/graphql', baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string | string[]> = { ...request.headers };
  if (body !== undefined && !request.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: request.method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(answerOf(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
      res.on('error', reject);
    });
    // A server that answers 413 before reading the whole body may close the socket under the
    // rest of it; the answer already came, so that is not a failure of the request.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body === undefined) {
      req.end();
    } else if (request.chunked) {
      for (let offset = 0; offset < body.length; offset += 64 * 1024) req.write(body.subarray(offset, offset + 64 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

function viaSocket(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const url = new URL(request.path ?? '/graphql', baseUrl);
  const body = request.body ?? '';
  const lines = [
    `${request.method} ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    'connection: close',
    ...Object.entries(request.headers ?? {}).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}`)),
    ...(request.rawHeaderLines ?? []),
    `content-length: ${Buffer.byteLength(body)}`,
  ];
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve(answerOf(Number(statusLine.split(' ')[1] ?? 0), headers, rest.join('\r\n\r\n')));
    });
  });
}

function answerOf(status: number, headers: RawAnswer['headers'], text: string): RawAnswer {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status, headers, text, body };
}
