import type { RouteParams } from '../core/router.js';
import type { RequestEnv, SandboxRequest, SandboxResponse } from '../core/types.js';
import type { Caller } from './resolve-caller.js';

/** Everything a `/v1` operation needs once the caller is authenticated and the entity chosen. */
export interface ZuoraCall {
  caller: Caller;
  req: SandboxRequest;
  env: RequestEnv;
  params: RouteParams;
  /** A fresh 32-hex id for a created entity or connection. */
  newId: () => string;
}

export type ZuoraOperation = (call: ZuoraCall) => SandboxResponse;
