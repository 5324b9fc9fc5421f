import type { RouteParams } from '../core/router.js';
import type { RequestEnv, SandboxRequest, SandboxResponse } from '../core/types.js';
import { ZuoraCode } from './error-codes.js';
import type { FirstOutcome, IdempotencyStore } from './idempotency-store.js';
import { resolveCaller } from './resolve-caller.js';
import { failure } from './responses.js';
import { bearerToken, type TokenStore } from './token-store.js';
import type { ZuoraCall, ZuoraOperation } from './zuora-call.js';

/** Zuora accepts idempotency keys of up to 255 characters. */
const MAX_KEY_LENGTH = 255;
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export interface OperationDeps {
  tokens: TokenStore;
  idempotency: IdempotencyStore;
  /** Keys reserved when the request arrived (see reserveIdempotencyKey), by request. */
  reservations: WeakMap<SandboxRequest, FirstOutcome>;
  newId: () => string;
}

/** The key of a POST, if it is one Zuora would accept; undefined otherwise. */
function idempotencyKeyOf(req: SandboxRequest): string | undefined {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return undefined;
  return Array.isArray(header) ? header.join(', ') : header;
}

/**
 * Called as a keyed POST arrives, before any injected latency: records the key as in flight, so
 * a replay that overtakes it gets 409 with code 50000050 as on the real service. The reservation
 * is used by runOperation, or dropped by the returned cleanup if the request never ran.
 */
export function reserveIdempotencyKey(req: SandboxRequest, env: RequestEnv, deps: OperationDeps): (() => void) | undefined {
  if (req.method !== 'POST') return undefined;
  const key = idempotencyKeyOf(req);
  if (key === undefined || key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
  const bearer = bearerToken(req.headers.authorization);
  const token = bearer === undefined ? undefined : deps.tokens.lookup(bearer);
  if (!token || env.now >= token.expiresAt) return undefined;
  const outcome = deps.idempotency.begin(token.client.clientId, key, req.method, req.path.replace(/\/+$/, ''), env.now);
  if (outcome.kind !== 'first') return undefined;
  deps.reservations.set(req, outcome);
  return () => {
    deps.reservations.delete(req);
    outcome.abandon();
  };
}

/**
 * Runs a `/v1` operation: bearer token, acting entity, then the Idempotency-Key rules (a finished
 * request's replay gets 409 and its first body; one still running, 409 with category 50; the key
 * on another method or path, 422). Calls refused before the operation starts (auth, entity
 * header) are not stored under their key; everything the operation answers, success or failure, is.
 */
export function runOperation(
  op: ZuoraOperation,
  deps: OperationDeps,
  req: SandboxRequest,
  params: RouteParams,
  env: RequestEnv,
): SandboxResponse {
  const resolved = resolveCaller(req, env, deps.tokens);
  if ('response' in resolved) return resolved.response;
  const call: ZuoraCall = { caller: resolved.caller, req, env, params, newId: deps.newId };

  const key = idempotencyKeyOf(req);
  if (key === undefined) return op(call);
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    return failure(ZuoraCode.badValue, `Idempotency-Key must be 1-${MAX_KEY_LENGTH} characters, got ${key.length}`);
  }
  const clientId = resolved.caller.client.clientId;
  const path = req.path.replace(/\/+$/, '');
  const reused = () => failure(ZuoraCode.badValue, 'this Idempotency-Key was first used with another method or path', 422);

  // Zuora honours keys on POST only; elsewhere a key can only clash with an earlier POST's.
  if (req.method !== 'POST') {
    return deps.idempotency.conflicts(clientId, key, req.method, path, env.now) ? reused() : op(call);
  }
  const outcome = deps.reservations.get(req) ?? deps.idempotency.begin(clientId, key, req.method, path, env.now);
  switch (outcome.kind) {
    case 'mismatch':
      return reused();
    case 'in-flight':
      return failure(ZuoraCode.inFlight, 'a request with this Idempotency-Key is still being processed', 409);
    case 'replay':
      // The original body, byte for byte, whatever its first status was.
      return { status: 409, headers: JSON_TYPE, body: outcome.result.body };
    case 'first': {
      let response: SandboxResponse;
      try {
        response = op(call);
      } catch (error) {
        outcome.abandon();
        throw error;
      }
      const body = JSON.stringify(response.body);
      outcome.finish({ status: response.status, body });
      return { ...response, headers: { ...response.headers, ...JSON_TYPE }, body };
    }
  }
}
