import type { RouteHandler, RouteParams } from '../core/router.js';
import type { RequestEnv, SandboxRequest, SandboxResponse } from '../core/types.js';
import type { M3terState, OrgState } from './m3ter-state.js';
import { m3terError } from './responses.js';

/** Who is calling, established from the bearer token, and the org the path names. */
export interface OrgCaller {
  readonly org: OrgState;
  readonly serviceUserId: string;
}

export type OrgRouteHandler = (
  caller: OrgCaller,
  req: SandboxRequest,
  params: RouteParams,
  env: RequestEnv,
) => SandboxResponse | Promise<SandboxResponse>;

/**
 * Bearer check for `/organizations/{orgId}/…`: no header → 401; a token that is
 * not Bearer, unknown, expired, or issued for another org → 403, m3ter's "Forbidden or
 * Unauthorized". An org that does not exist is "another org" for every token.
 */
export function authorize(state: M3terState, req: SandboxRequest, orgId: string | undefined, env: RequestEnv): OrgCaller | SandboxResponse {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') return m3terError(401, 'Unauthorized');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return m3terError(403, 'Forbidden: send the access token as "Authorization: Bearer <token>"');
  const grant = state.tokens.lookup(match[1] as string);
  if (!grant) return m3terError(403, 'Forbidden: invalid access token');
  if (env.now >= grant.expiresAtMs) return m3terError(403, 'Forbidden: the access token has expired');
  const org = orgId === grant.orgId ? state.org(orgId) : undefined;
  if (!org) return m3terError(403, 'Forbidden: the access token is not valid for this organization');
  return { org, serviceUserId: grant.serviceUserId };
}

/** A route under `/organizations/{orgId}` that runs only for an authorized caller of that org. */
export function orgRoute(state: M3terState, handler: OrgRouteHandler): RouteHandler {
  return (req, params, env) => {
    const caller = authorize(state, req, params.orgId, env);
    return 'org' in caller ? handler(caller, req, params, env) : caller;
  };
}
