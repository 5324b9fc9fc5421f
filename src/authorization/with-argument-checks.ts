/**
 * Wraps the resolvers named in ARGUMENT_CHECKS so each runs only after its arguments passed
 * their checks: a refused argument fails its field with FORBIDDEN (or BAD_USER_INPUT when it is
 * malformed) before the resolver, and so before any vendor call it would make.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { ARGUMENT_CHECKS, type ArgumentCheckKind } from './argument-checks.js';
import { checkArgument } from './check-argument.js';

type FieldResolver = (parent: unknown, args: Record<string, unknown>, context: GraphQLContext, info: GraphQLResolveInfo) => unknown;
type ResolverMap = Record<string, Record<string, unknown>>;

export function withArgumentChecks<R extends object>(resolvers: R, checks = ARGUMENT_CHECKS): R {
  const wrapped: ResolverMap = { ...(resolvers as ResolverMap) };
  for (const [coordinate, paths] of Object.entries(checks)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const resolve = wrapped[typeName]?.[fieldName];
    // A check with no resolver to guard would be a check that never runs: fail at start instead.
    if (typeof resolve !== 'function') throw new Error(`ARGUMENT_CHECKS names ${coordinate}, which has no resolver`);
    const entries = Object.entries(paths);
    wrapped[typeName] = {
      ...wrapped[typeName],
      [fieldName]: checked(resolve as FieldResolver, fieldName, entries),
    };
  }
  return wrapped as R;
}

function checked(resolve: FieldResolver, fieldName: string, entries: [string, ArgumentCheckKind][]): FieldResolver {
  return async (parent, args, context, info) => {
    for (const [path, kind] of entries) {
      const value = path === '$parent' ? parent : valueAt(args, path);
      if (value === null || value === undefined) continue;
      await checkArgument(kind, { value, path, args, parent, fieldName, context });
    }
    return resolve(parent, args, context, info);
  };
}

function valueAt(args: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = args;
  for (const name of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}
