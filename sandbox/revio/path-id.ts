import { parseInt32 } from './int32.js';
import type { RevioCall } from './operation.js';
import { appError } from './responses.js';
import type { SandboxResponse } from '../core/types.js';

/** The `{id}` of a by-id route as an integer, or the 400 a non-integer id gets. */
export function pathId(call: RevioCall): number | SandboxResponse {
  const raw = call.params.id ?? '';
  const id = parseInt32(raw);
  return id === undefined ? appError(400, `The id in the path must be an integer, got "${raw}".`, [{ field: 'id', message: `must be an integer, got "${raw}"` }]) : id;
}

/** Lower-case self links, as the vendor's examples write them. */
export function selfHref(call: RevioCall, resource: string, id: number): string {
  return `${call.env.baseUrl}/v1/${resource.toLowerCase()}/${id}`;
}
