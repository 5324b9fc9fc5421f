import type { ApolloServerPlugin } from '@apollo/server';
import type { FieldNode } from 'graphql';
import type { Logger } from 'pino';
import { ForbiddenError, UnauthenticatedError, UpstreamError } from '../errors.js';
import { REFUSAL_CODES } from '../observability/security-log.js';
import { errorCodeOf } from './error-code-of.js';
import { gatewayErrorIn } from './gateway-error-in.js';
import type { ObservedContext } from './observed-context.js';
import { responseSummary } from './response-summary.js';

export interface AuditPluginOptions {
  /** From `createLogger()`; audit lines go out at info with `log: "audit"`. */
  logger: Logger;
}

/**
 * One audit record. `denied`: the gateway refused the caller (no key, a missing scope, an
 * argument outside its grant) and nothing was written; `refused`: the mutation never ran for
 * another reason (validation).
 */
export interface AuditLine {
  log: 'audit';
  requestId: string | null;
  keyId: string | null;
  tenant: ObservedContext['tenant'] | null;
  /** The root mutation field, e.g. `createExternalLink`. */
  operation: string;
  /** Ids from the input or arguments (`id` and `…Id` fields) and from the result (`deletedId`, `<object>.id`). */
  targets: Record<string, string>;
  /** `clientMutationId`, which doubles as the idempotency key sent upstream. */
  idempotencyKey: string | null;
  /**
   * `compensated`: a mutation of several writes undid the ones it made (linkEverywhere);
   * `incomplete`: some of its writes remain and others failed or are unknown (the targets name
   * the links that remain, the error code is the first part's).
   */
  outcome: 'success' | 'compensated' | 'incomplete' | 'error' | 'refused' | 'denied';
  errorCode: string | null;
  vendorRequestIds: string[];
}

/**
 * One structured line per mutation field run (a document with two mutation fields writes two):
 * who (API key id), for which tenant, what, on which ids, with which idempotency key, how it
 * ended, and the vendors' request ids for support. Only ids are copied from the input, so values
 * such as external ids are logged but free-form or secret fields cannot be. A mutation the
 * gateway refused the caller (scope, grant) is logged as `denied`, one that failed validation as
 * `refused`.
 */
export function auditPlugin<TContext extends ObservedContext>({ logger }: AuditPluginOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      let executed = false;
      return {
        async executionDidStart(requestContext) {
          // Typed as set, but undefined when the document has several operations and no (or an
          // unknown) operationName: Apollo still starts execution, which then answers 400.
          const operation = requestContext.operation as typeof requestContext.operation | undefined;
          if (operation?.operation !== 'mutation') return;
          executed = true;
          const context = requestContext.contextValue;
          return {
            willResolveField({ info, args }) {
              if (info.path.prev !== undefined) return;
              return (error, result) => {
                // Relay-style mutations take one `input`; others take their ids as arguments.
                const given = (args as { input?: unknown }).input;
                const input = typeof given === 'object' && given !== null ? given : args;
                const line: AuditLine = {
                  ...who(context),
                  operation: info.fieldName,
                  targets: { ...idsOf(input), ...(error ? {} : resultIdsOf(result)) },
                  idempotencyKey: clientMutationIdOf(input),
                  outcome: error ? (isDenial(error) ? 'denied' : 'error') : payloadOutcome(result),
                  errorCode: error ? errorCodeOf(error) : partErrorCode(result),
                  vendorRequestIds: vendorRequestIds(context, error ? [error] : []),
                };
                logger.info(line, 'audit');
              };
            },
          };
        },
        async willSendResponse(requestContext) {
          const operation = requestContext.operation;
          // A mutation that failed scope checks or validation never reached willResolveField.
          if (executed || operation?.operation !== 'mutation') return;
          const errorCode = responseSummary(requestContext).errorCodes[0] ?? null;
          const fields = operation.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === 'Field');
          for (const field of fields) {
            const line: AuditLine = {
              ...who(requestContext.contextValue),
              operation: field.name.value,
              targets: {},
              idempotencyKey: null,
              outcome: errorCode !== null && REFUSAL_CODES.has(errorCode) ? 'denied' : 'refused',
              errorCode,
              vendorRequestIds: [],
            };
            logger.info(line, 'audit');
          }
        },
      };
    },
  };
}

/** The gateway's own refusal of the caller; a vendor's FORBIDDEN is an upstream error. */
function isDenial(error: unknown): boolean {
  const cause = gatewayErrorIn(error);
  return cause instanceof ForbiddenError || cause instanceof UnauthenticatedError;
}

/** Audit lines for a mutation refused before Apollo started it (no key, a tenant header outside the grant). */
export function auditDenied(logger: Logger, who: Pick<AuditLine, 'requestId' | 'keyId' | 'tenant'>, operations: readonly string[], errorCode: string): void {
  for (const operation of operations) {
    const line: AuditLine = { log: 'audit', ...who, operation, targets: {}, idempotencyKey: null, outcome: 'denied', errorCode, vendorRequestIds: [] };
    logger.info(line, 'audit');
  }
}

function who(context: ObservedContext): Pick<AuditLine, 'log' | 'requestId' | 'keyId' | 'tenant'> {
  return { log: 'audit', requestId: context.requestId ?? null, keyId: context.caller?.keyId ?? null, tenant: context.tenant ?? null };
}

/** Logged values are ids, capped: long enough for any vendor id, short enough to keep lines small. */
const clip = (value: string): string => (value.length > 128 ? `${value.slice(0, 128)}…` : value);

const isIdField = (name: string): boolean => name === 'id' || (name.endsWith('Id') && name !== 'clientMutationId');

function idsOf(input: unknown): Record<string, string> {
  if (typeof input !== 'object' || input === null) return {};
  return Object.fromEntries(Object.entries(input).filter(([name, value]) => isIdField(name) && typeof value === 'string').map(([name, value]) => [name, clip(value as string)]));
}

function resultIdsOf(result: unknown): Record<string, string> {
  if (typeof result !== 'object' || result === null) return {};
  const ids: Record<string, string> = {};
  for (const [name, value] of Object.entries(result)) {
    if (name === 'deletedId' && typeof value === 'string') ids.deletedId = clip(value);
    const nested = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
    if (typeof nested === 'string' || typeof nested === 'number') ids[`${name}.id`] = clip(String(nested));
  }
  return ids;
}

/** A payload's own `status` of COMPENSATED or INCOMPLETE, else success. */
function payloadOutcome(result: unknown): AuditLine['outcome'] {
  const status = typeof result === 'object' && result !== null ? (result as { status?: unknown }).status : undefined;
  return status === 'COMPENSATED' ? 'compensated' : status === 'INCOMPLETE' ? 'incomplete' : 'success';
}

/** The first `code` a part of a successful payload reports (a part that failed), or null. */
function partErrorCode(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  for (const value of Object.values(result)) {
    const code = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
    if (typeof code === 'string') return code;
  }
  return null;
}

function clientMutationIdOf(input: unknown): string | null {
  const id = typeof input === 'object' && input !== null ? (input as { clientMutationId?: unknown }).clientMutationId : undefined;
  return typeof id === 'string' ? clip(id) : null;
}

function vendorRequestIds(context: ObservedContext, errors: readonly unknown[]): string[] {
  const fromErrors = errors.map((error) => gatewayErrorIn(error)).flatMap((cause) => (cause instanceof UpstreamError && cause.requestId !== undefined ? [cause.requestId] : []));
  return [...new Set([...(context.upstreamCalls?.vendorRequestIds ?? []), ...fromErrors])];
}
