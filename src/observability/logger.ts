/**
 * The gateway's structured JSON logger (pino). Secrets are kept out twice over:
 *
 * - `redact` censors every field named like a credential (authorization, cookie, api keys,
 *   tokens, secrets, passwords, Rev.io subscription keys) at the top level and up to three
 *   levels down, wherever a caller happened to put it;
 * - serializers log no raw header set: `headers` keeps an allow-list, `req` keeps method and
 *   path (no query string: a GET operation's variables live there), and `err` keeps name,
 *   code, message and stack, not the request options some HTTP errors carry.
 *
 * Log lines carry ids and codes, never request bodies or variables; redaction is the safety net,
 * not the plan.
 */
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config.js';
import { activeTracer } from '../tracing/active-tracer.js';

export interface LoggerOptions {
  /** Default `info` (`config.server.logLevel`). */
  level?: LogLevel;
  /** Where lines go; default stdout. Tests pass a stream that collects them. */
  destination?: DestinationStream;
  /** Fields on every line; default `{ service: 'interlink' }`. pid and hostname are left out. */
  base?: Record<string, unknown>;
}

/** Field names that hold credentials, as they appear in headers, config and vendor payloads. */
const SECRET_KEYS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'api_key',
  'key',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'secret',
  'clientSecret',
  'client_secret',
  'apiSecret',
  'password',
  'subscriptionKey',
  'ocp-apim-subscription-key',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const field = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
  return ['', '*', '*.*', '*.*.*'].map((prefix) => (prefix === '' ? field.replace(/^\./, '') : `${prefix}${field}`));
});

/** Headers worth logging; everything else (credentials among them) is dropped, not censored. */
const LOGGABLE_HEADERS = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'x-request-id',
  'apollo-require-preflight',
  // Not the tenant headers: a caller may paste a key into one by mistake. The tenant a request
  // acts for is logged as resolved (`tenant`), never as sent.
]);

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { service: 'interlink' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: { headers: safeHeaders, req: safeRequest, err: safeError, error: safeError },
      mixin: traceFields,
    },
    options.destination ?? pino.destination(1),
  );
}

/** While tracing is on, a line written inside a traced request carries its trace and span ids. (pino merges into the object returned: always a new one.) */
function traceFields(): object {
  if (activeTracer() === undefined) return {};
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

function safeHeaders(headers: unknown): Record<string, unknown> {
  const entries = headers instanceof Map ? [...headers.entries()] : typeof headers === 'object' && headers !== null ? Object.entries(headers) : [];
  return Object.fromEntries(entries.filter(([name]) => LOGGABLE_HEADERS.has(String(name).toLowerCase())));
}

function safeRequest(req: unknown): Record<string, unknown> {
  if (typeof req !== 'object' || req === null) return {};
  const { method, url, headers } = req as { method?: unknown; url?: unknown; headers?: unknown };
  return {
    ...(typeof method === 'string' ? { method } : {}),
    ...(typeof url === 'string' ? { path: url.split('?')[0] } : {}),
    ...(headers === undefined ? {} : { headers: safeHeaders(headers) }),
  };
}

/** Name, code, message, stack and a short cause chain; an error's own `toJSON` (UpstreamError) when it has one. */
function safeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const toJSON = (error as { toJSON?: unknown }).toJSON;
  const own = typeof toJSON === 'function' ? (toJSON.call(error) as Record<string, unknown>) : {};
  const code = (error as { code?: unknown }).code;
  return {
    ...own,
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(error.cause === undefined || depth >= 2 ? {} : { cause: safeError(error.cause, depth + 1) }),
  };
}
