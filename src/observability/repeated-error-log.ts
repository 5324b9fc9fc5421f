/**
 * Error lines with a stack, bounded per kind of error. One wrong-shaped vendor answer per request
 * wrote a full stack trace per request (394 lines in 22 s), and a flood of such lines costs the
 * process (pino serializes every stack) and buries everything else. An error's signature is its
 * code (or name), its message with the numbers, ids and quoted values taken out, and the first
 * frame of its stack. The first of a signature in a window is logged in full; the repeats in that
 * window are counted, and when the window ends one line says how many there were, with the
 * request ids of the first few:
 *
 *   {"level":50,"msg":"graphql error masked as INTERNAL_SERVER_ERROR","requestId":"a1","err":{…,"stack":"…"}}
 *   {"level":50,"msg":"49 more like this in the last 60 s","repeats":49,"signature":"TypeError|Cannot read … |at mapEntity (…)","requestIds":["a2",…]}
 *
 * Signatures are kept for one window each and at most `maxSignatures` at once: past that, new
 * kinds share one signature, so ever-new messages cannot grow memory or the log either.
 */
import type { Logger } from 'pino';

export interface RepeatedErrorLogOptions {
  /** Default 60 s. */
  windowMs?: number;
  /** Default 1000. */
  maxSignatures?: number;
  /** Request ids kept per summary; default 10. */
  sampleIds?: number;
}

interface Window {
  startedAt: number;
  repeats: number;
  requestIds: string[];
  msg: string;
  level: 'error' | 'warn';
  timer: ReturnType<typeof setTimeout> | undefined;
}

const OVERFLOW = 'other signatures (too many kinds at once)';

export class RepeatedErrorLog {
  readonly #logger: Logger;
  readonly #windowMs: number;
  readonly #maxSignatures: number;
  readonly #sampleIds: number;
  readonly #windows = new Map<string, Window>();

  constructor(logger: Logger, { windowMs = 60_000, maxSignatures = 1000, sampleIds = 10 }: RepeatedErrorLogOptions = {}) {
    this.#logger = logger;
    this.#windowMs = windowMs;
    this.#maxSignatures = maxSignatures;
    this.#sampleIds = sampleIds;
  }

  /** `logger.error({ ...fields, err }, msg)`, the first time in a window for `err`'s signature; counted otherwise. */
  error(fields: Record<string, unknown> & { requestId?: string }, err: unknown, msg: string): void {
    this.log('error', fields, err, msg);
  }

  /** The same at `level`; `kind` keeps apart what the error alone would not (the upstream a probe failed for). */
  log(level: 'error' | 'warn', fields: Record<string, unknown> & { requestId?: string }, err: unknown, msg: string, kind = ''): void {
    const now = Date.now();
    let signature = kind === '' ? signatureOf(err) : `${kind}|${signatureOf(err)}`;
    let window = this.#windows.get(signature);
    if (window !== undefined && now - window.startedAt >= this.#windowMs) {
      this.#flush(signature);
      window = undefined;
    }
    if (window === undefined && this.#windows.size >= this.#maxSignatures) {
      signature = OVERFLOW;
      window = this.#windows.get(signature);
    }
    if (window === undefined) {
      this.#windows.set(signature, { startedAt: now, repeats: 0, requestIds: [], msg, level, timer: undefined });
      // The window is forgotten when it ends, with a summary if anything repeated.
      const ending = setTimeout(() => this.#flush(signature), this.#windowMs);
      ending.unref();
      this.#windows.get(signature)!.timer = ending;
      this.#logger[level]({ ...fields, err }, msg);
      return;
    }
    window.repeats += 1;
    if (fields.requestId !== undefined && window.requestIds.length < this.#sampleIds) window.requestIds.push(fields.requestId);
  }

  #flush(signature: string): void {
    const window = this.#windows.get(signature);
    if (window === undefined) return;
    this.#windows.delete(signature);
    clearTimeout(window.timer);
    if (window.repeats === 0) return;
    const seconds = Math.round(this.#windowMs / 1000);
    this.#logger[window.level]({ repeats: window.repeats, signature, requestIds: window.requestIds, first: window.msg }, `${window.repeats} more like this in the last ${seconds} s`);
  }
}

/** Code (or name), message template and first stack frame. */
export function signatureOf(err: unknown): string {
  if (!(err instanceof Error)) return `non-error|${typeof err}`;
  const code = (err as { code?: unknown }).code;
  const frame = err.stack?.split('\n').find((line) => line.trimStart().startsWith('at '))?.trim() ?? '';
  return `${typeof code === 'string' ? code : err.name}|${messageTemplate(err.message)}|${frame}`;
}

/** A message with what varies from one occurrence to the next (quoted values, ids, numbers) taken out, cut to 200 characters. */
function messageTemplate(message: string): string {
  return message
    .slice(0, 1000)
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .replace(/\b[0-9a-f]{8,}\b|\d+/gi, '#')
    .slice(0, 200);
}
