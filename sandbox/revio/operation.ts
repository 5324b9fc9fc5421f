import type { RouteParams } from '../core/router.js';
import type { RequestEnv, SandboxRequest, SandboxResponse } from '../core/types.js';
import type { RevioClient, RevioState, RevioUser } from './revio-state.js';

/** An authenticated request, as a route operation sees it. */
export interface RevioCall {
  readonly req: SandboxRequest;
  readonly params: RouteParams;
  readonly env: RequestEnv;
  readonly state: RevioState;
  /** The tenant: every key-link read and write stays inside this client's data. */
  readonly client: RevioClient;
  readonly user: RevioUser;
}

export type Operation = (call: RevioCall) => SandboxResponse;
