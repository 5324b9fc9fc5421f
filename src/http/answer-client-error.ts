/**
 * What the node:http server answers when a request never becomes one (its `clientError` event):
 * headers over Node's 16 KB limit, a request or its headers not received in time, bytes that are
 * not HTTP. Node's own answer is a bare status line; this one is the gateway's error shape, JSON
 * with `extensions.code`, like every other refusal, and the socket is closed after it.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';

const ANSWERS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: 'The request line and headers are larger than 16 KB; send a long operation in a POST body' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'REQUEST_TIMEOUT', message: 'The request was not received in time' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'REQUEST_TIMEOUT', message: 'The request headers were not received in time' },
};
const MALFORMED = { status: 400, reason: 'Bad Request', code: 'BAD_REQUEST', message: 'The request is not valid HTTP' };

export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A socket reset or closed by the client: nobody to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = ANSWERS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ errors: [{ message: answer.message, extensions: { code: answer.code } }] });
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
