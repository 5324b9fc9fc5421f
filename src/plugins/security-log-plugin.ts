import type { ApolloServerPlugin } from '@apollo/server';
import type { FieldNode } from 'graphql';
import type { Logger } from 'pino';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { logSecurityRefusal } from '../observability/security-log.js';
import { gatewayErrorIn } from './gateway-error-in.js';
import type { ObservedContext } from './observed-context.js';

export interface SecurityLogPluginOptions {
  logger: Logger;
}

/**
 * A security line (observability/security-log.ts) for each refusal inside a request: a missing
 * scope (the whole operation) or an argument outside the key's grant (one field). Only the
 * gateway's own refusals count: a vendor's FORBIDDEN is an upstream error, logged as such.
 * Refusals before a request starts (no key, a tenant header outside the grant) are logged by
 * the HTTP layer (gateway.ts).
 */
export function securityLogPlugin<TContext extends ObservedContext>({ logger }: SecurityLogPluginOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operation }) {
          const rootFields = operation?.selectionSet.selections.filter((s): s is FieldNode => s.kind === 'Field').map((field) => field.name.value);
          for (const error of errors) {
            const cause = gatewayErrorIn(error);
            if (!(cause instanceof ForbiddenError || cause instanceof UnauthenticatedError)) continue;
            const path = error.path?.filter((part): part is string => typeof part === 'string');
            logSecurityRefusal(logger, {
              requestId: contextValue.requestId ?? null,
              keyId: contextValue.caller?.keyId ?? null,
              tenant: contextValue.tenant ?? null,
              // The refused field's root when known, else every root field of the operation.
              operation: path?.[0] ?? rootFields?.join(',') ?? null,
              path: path === undefined || path.length === 0 ? null : path.join('.'),
              code: cause.code,
              reason: cause.message,
            });
          }
        },
      };
    },
  };
}
