/**
 * One `/v1` call acting as one entity: the part every client method shares. Tenancy is explicit
 * per call: the acting entity goes in `Zuora-Entity-Ids`, hyphenated
 * lower case, on every call, and never in a legacy `entityId` / `entityName` header. It also
 * keys the limiter, because Zuora counts concurrency per entity, and identical reads in flight
 * (read-sharing.ts), because one credential reads as several entities.
 */
import type { Response } from 'got';
import type { ZuoraTenant } from '../../config.js';
import { ForbiddenError, UpstreamContractError } from '../../errors.js';
import { isRecord } from '../classification.js';
import { readKey } from '../read-sharing.js';
import { hyphenatedZuoraId } from './entity-id-forms.js';
import { trackIdOf } from './track-id.js';
import type { ZuoraHttp } from './zuora-http.js';
import type { ZuoraCallOptions } from './zuora-types.js';

export interface ZuoraRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base URL, no leading slash; ids already validated. */
  path: string;
  /** The client method, for errors and events. */
  operation: string;
  searchParams?: URLSearchParams;
  json?: object;
  idempotencyKey?: string;
  /** A `{ success }` call: an empty 2xx body counts as success. */
  emptyOk?: boolean;
}

export interface ZuoraSender {
  /** The acting entity, hyphenated; refuses an entity the tenant is not configured for. */
  actingEntity(entityId: string): string;
  send<T extends object>(call: ZuoraCallOptions, request: ZuoraRequest): Promise<T>;
}

export function createZuoraSender(http: ZuoraHttp, tenant: ZuoraTenant): ZuoraSender {
  const configured = new Set(tenant.entityIds.map((id) => hyphenatedZuoraId(id, 'a configured entity id')));
  // What every call as one entity shares (its header, token, limiter key and the credential's
  // circuit), merged into a got
  // instance once per configured entity rather than into every call's options.
  const asEntity = new Map([...configured].map((id) => [id, http.got.extend({ headers: { 'zuora-entity-ids': id }, context: { auth: http.auth, tenant: id, circuit: tenant.clientId } })]));

  const actingEntity = (entityId: string): string => {
    const id = hyphenatedZuoraId(entityId, 'entityId');
    // Checked here, before any request: a call for another tenant's entity must not go out
    // with this tenant's token, even though Zuora would refuse it (90000010).
    if (!configured.has(id)) throw new ForbiddenError(`Zuora tenant "${tenant.name}" is not configured to act as entity ${id}`);
    return id;
  };

  const sendOnce = async <T extends object>(entity: string, call: ZuoraCallOptions, request: ZuoraRequest): Promise<T> => {
    const requestId = trackIdOf(call.requestId);
    const response = await asEntity.get(entity)!(request.path, {
      method: request.method,
      ...(request.searchParams === undefined ? {} : { searchParams: request.searchParams }),
      ...(request.json === undefined ? {} : { json: request.json }),
      context: {
        operation: request.operation,
        ...(requestId === undefined ? {} : { requestId }),
        ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
        ...(call.deadlineMs === undefined ? {} : { deadlineMs: call.deadlineMs }),
        ...(call.probe === true ? { probe: true } : {}),
      },
    });
    return bodyOf<T>(response, request);
  };

  const send = async <T extends object>(call: ZuoraCallOptions, request: ZuoraRequest): Promise<T> => {
    // Checked before a read is shared: a refused entity must fail its own caller.
    const entity = actingEntity(call.entityId);
    const once = () => sendOnce<T>(entity, call, request);
    if (request.method !== 'GET') return http.reads.write(once);
    if (call.probe === true) return once();
    return http.reads.read(`${entity} ${readKey(request.path, request.searchParams)}`, { operation: request.operation, requestId: call.requestId }, once);
  };

  return { actingEntity, send };
}

/** The parsed body; the base has already failed every `success:false` and non-2xx it must. */
function bodyOf<T extends object>(response: Response, request: ZuoraRequest): T {
  const body: unknown = response.body;
  if (isRecord(body)) return body as T;
  if (request.emptyOk === true && body === '') return { success: true } as T;
  // A 2xx that is not a JSON object (an HTML page from a proxy): said in our words, not its.
  throw new UpstreamContractError({
    vendor: 'zuora',
    operation: request.operation,
    status: response.statusCode,
    vendorCode: 'MALFORMED_RESPONSE',
    retryable: false,
  });
}
