/**
 * One field's links from each provider it asked (m3ter first, then Rev.io). When one provider
 * fails and another answers, the field answers what came and reports the failure beside it
 * (plugins/partial-errors-plugin.ts): a Rev.io outage must not hide m3ter's links, nor the
 * reverse. When every provider fails, the first failure is the field's error, as before. Only
 * an error the caller can act on (a `GatewayError` that is not internal) is reported that way:
 * a bug on our side still fails the whole field.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { GatewayError } from '../errors.js';
import { reportPartialError } from '../plugins/partial-errors-plugin.js';

export async function linksFromProviders<T>(context: object, info: GraphQLResolveInfo, reads: readonly Promise<readonly T[]>[]): Promise<T[]> {
  const settled = await Promise.allSettled(reads);
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length === 0 || failures.length === settled.length) {
    if (failures.length > 0) throw failures[0];
  } else {
    for (const failure of failures) if (!isCallerFacing(failure)) throw failure;
    for (const failure of failures) reportPartialError(context, info, failure as GatewayError);
  }
  return settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
}

/** A failure the caller can act on (a vendor down, slow or limiting), not a bug of ours. */
export function isCallerFacing(error: unknown): error is GatewayError {
  return error instanceof GatewayError && !error.internal;
}
