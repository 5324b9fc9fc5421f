import type { RequestEnv, SandboxRequest, SandboxResponse } from './types.js';

export type RouteParams = Record<string, string>;
export type RouteHandler = (
  req: SandboxRequest,
  params: RouteParams,
  env: RequestEnv,
) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { found: true; handler: RouteHandler; params: RouteParams }
  | { found: false; allowed: string[] };

/**
 * A tiny path router: `/v1/entities/{id}` style templates, exact segment counts, decoded params.
 * Hand-rolled because the sandbox must serve thousands of requests a second on one core, and a
 * framework would only add weight to what is a dozen routes per vendor.
 */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly options: { caseInsensitive?: boolean } = {}) {}

  on(method: string, template: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), segments: this.split(template), handler });
    return this;
  }

  /** Undecodable segments (bad percent-encoding) return `undefined` so the caller can answer 400. */
  match(method: string, path: string): RouteMatch | undefined {
    const segments = this.split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = this.matchSegments(route.segments, segments);
      if (params === null) continue;
      if (params === undefined) return undefined;
      if (route.method === method.toUpperCase()) return { found: true, handler: route.handler, params };
      allowed.push(route.method);
    }
    return { found: false, allowed };
  }

  private split(path: string): string[] {
    const trimmed = path.replace(/^\/+|\/+$/g, '');
    return trimmed === '' ? [] : trimmed.split('/');
  }

  /** null: no match; undefined: matched but a parameter could not be decoded. */
  private matchSegments(template: string[], actual: string[]): RouteParams | null | undefined {
    if (template.length !== actual.length) return null;
    const params: RouteParams = {};
    for (let i = 0; i < template.length; i++) {
      const want = template[i] as string;
      const got = actual[i] as string;
      if (want.startsWith('{') && want.endsWith('}')) {
        try {
          params[want.slice(1, -1)] = decodeURIComponent(got);
        } catch {
          return undefined;
        }
      } else if (this.options.caseInsensitive ? want.toLowerCase() !== got.toLowerCase() : want !== got) {
        return null;
      }
    }
    return params;
  }
}
