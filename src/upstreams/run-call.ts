/**
 * Runs one vendor call in its three stages: its turn at the tenant's limiter, then its attempts
 * under the tenant's circuit, all within the call's deadline (its own, cut to its request's).
 *
 * The stages are nested so that each judge sees only what is its to judge. The circuit wraps the
 * attempts alone, from the moment the call leaves the queue: a call that ran out of time waiting
 * for its turn, or whose request ended meanwhile, leaves the queue unsent (`LeftUnsent`) and never
 * reaches the circuit, so a backlog in our own limiter can never open it. The deadline cancels
 * the got promise once the call is sent, which also stops a backoff wait in progress.
 */
import type { CircuitBreakers } from './circuit-breakers.js';
import type { TenantLimiter } from './tenant-limiter.js';
import type { CallState } from './upstream-call.js';

export interface CallRun {
  /** The call's state: its `deadlineAt` and `requestEnded` bound the run; `deadlineExceeded` is set here. */
  state: CallState;
  /** Sends the call: got's promise for its attempts. */
  send: () => Promise<unknown> & { cancel(): void };
  /** Turns what got threw into the error the call fails with (an `UpstreamError` the circuit can judge). */
  settle: (error: unknown) => unknown;
  /** The call's turn at its tenant's limiter; absent for calls that take none (token fetches, readiness probes). */
  slot?: { limiter: TenantLimiter; tenant: string; flow: string | undefined; caller: string | undefined } | undefined;
  /** The circuit the sent call counts toward; absent when the circuit breakers are off. */
  circuit?: { breakers: CircuitBreakers; key: string } | undefined;
}

/** Why a call left before it was sent. Internal: http.ts turns it into `UpstreamAbandonedError`. */
export class LeftUnsent extends Error {
  constructor(readonly why: 'deadline' | 'request-ended') {
    super(why === 'deadline' ? 'left the queue unsent: the call deadline passed' : 'left the queue unsent: its request ended');
    this.name = 'LeftUnsent';
  }
}

/** The call's deadline passed after it was sent. Internal: http.ts turns it into a timeout. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('deadline exceeded');
    this.name = 'DeadlineExceeded';
  }
}

export function runCall(run: CallRun): Promise<unknown> {
  const { state, slot, circuit, settle } = run;
  let call: (Promise<unknown> & { cancel(): void }) | undefined;
  // Aborts the wait for a turn: the call leaves the queue without being sent.
  const leave = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    const expire = (): void => {
      state.deadlineExceeded = true;
      leave.abort(new LeftUnsent('deadline'));
      call?.cancel();
      reject(new DeadlineExceeded());
    };
    const remaining = state.deadlineAt - Date.now();
    if (remaining <= 0) expire();
    else timer = setTimeout(expire, remaining);
  });
  // Nobody races it once the call has settled.
  deadline.catch(() => undefined);
  const ended = state.requestEnded;
  const onEnded = (): void => leave.abort(new LeftUnsent('request-ended'));
  if (ended?.aborted === true) onEnded();
  else ended?.addEventListener('abort', onEnded, { once: true });

  const send = (): Promise<unknown> => {
    call = run.send();
    return call.catch((error: unknown) => {
      throw settle(error);
    });
  };
  // Checked at the turn too, before the circuit: a call with no slot has no queue to leave.
  const sendJudged = (): Promise<unknown> => {
    if (leave.signal.aborted) return Promise.reject(leave.signal.reason as Error);
    return circuit === undefined ? send() : circuit.breakers.run(circuit.key, state.operation, send);
  };
  const work = slot === undefined ? sendJudged() : slot.limiter.run(slot.tenant, sendJudged, slot.flow, { caller: slot.caller, signal: leave.signal });
  return Promise.race([work, deadline]).finally(() => {
    clearTimeout(timer);
    ended?.removeEventListener('abort', onEnded);
  });
}
