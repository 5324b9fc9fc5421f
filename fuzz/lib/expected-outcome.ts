/**
 * What the gateway must do with a generated request, by the rules of issue #23 alone (never by
 * reading the gateway): the one operation that may run, or a refusal and why. Every request is
 * checked against the operation that will run, so the harness resolves it independently here:
 * the document (the text sent, or the manifest's for a listed id), then the operation
 * `operationName` names, or the only one when none is named.
 */
import { toRawRequest, type FuzzRequest } from './fuzz-request.js';
import type { FuzzWorld } from './fuzz-world.js';
import type { OperationType } from './schema-documents.js';

export interface ResolvedOperation {
  type: OperationType;
  rootKeys: string[];
  /** Taken from the trusted documents manifest (by id), not from text the caller sent. */
  fromManifest: boolean;
}

export type ExpectedOutcome =
  | { kind: 'refuse'; why: string; /** The rules fix the status: 400. */ status400: boolean }
  | { kind: 'may-run'; operation: ResolvedOperation };

/** Node's limit on the request line and headers together (`--max-http-header-size`, 16 KB). */
export const MAX_HEADER_BYTES = 16 * 1024;

export function expectedOutcome(request: FuzzRequest, world: FuzzWorld): ExpectedOutcome {
  const outcome = byTheRules(request, world);
  // Near or over Node's header limit the request may never become one: refused with 431 before
  // any rule here, so a 400 the rules owe is not owed then (the refusal itself still is).
  if (outcome.kind === 'refuse' && outcome.status400 && headerBytesOf(request, world) > MAX_HEADER_BYTES - 512) return { ...outcome, status400: false };
  return outcome;
}

/** The request line and headers as sent, roughly as Node's parser counts them. */
function headerBytesOf(request: FuzzRequest, world: FuzzWorld): number {
  const raw = toRawRequest(request, world);
  const line = Buffer.byteLength(`${raw.method} ${raw.path ?? '/graphql'} HTTP/1.1\r\n`);
  return line + Object.entries(raw.headers ?? {}).reduce((sum, [name, value]) => sum + Buffer.byteLength(`${name}: ${String(value)}\r\n`), 0);
}

function byTheRules(request: FuzzRequest, world: FuzzWorld): ExpectedOutcome {
  const caller = world.callers[request.caller];
  // The 400 the rules fix is owed only when nothing else refuses first: a tenant header outside
  // the grant (or given twice) is refused with the caller, before any operation is looked at.
  const noEarlierRefusal = Object.keys(request.tenantHeaders).length === 0;
  const refuse = (why: string, status400 = false): ExpectedOutcome => ({ kind: 'refuse', why, status400: status400 && noEarlierRefusal });
  if (caller.token === undefined) return refuse('no credential');
  if (request.authorization === 'twice-other') return refuse('two Authorization headers that disagree');
  if (request.transport === 'get-with-body') return refuse('a GET carrying a body', true);
  if (request.transport === 'post-with-url-query') return refuse('an operation in both the URL and the body', true);
  if (request.transport === 'post-odd-type' && !/^application\/json\b/.test(request.contentType)) return refuse(`a body of content type "${request.contentType}"`);

  const listed = world.manifest[request.manifestIndex]!;
  let operations: Array<{ type: OperationType; name: string | undefined; rootKeys: string[] }>;
  let fromManifest = false;
  switch (request.persisted) {
    case 'manifest-id':
    case 'documentId':
      operations = [{ type: listed.type, name: /\w+ (\w+)/.exec(listed.body)![1], rootKeys: listed.rootKeys }];
      fromManifest = true;
      break;
    case 'manifest-id-with-other-text':
      return refuse('a listed id sent with some other text');
    case 'unknown-hash':
      return refuse('an id no one registered');
    default:
      operations = request.document.operations;
  }
  if (caller.trustedDocumentsOnly && !fromManifest) return refuse('a trusted-documents-only caller sending no manifest id');

  if (request.operationName.kind === 'number') return refuse('an operationName that is not a string', true);
  const named = request.operationName.kind === 'name' ? request.operationName.value : undefined;
  const operation = named === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((candidate) => candidate.name === named);
  if (operation === undefined) return refuse(named === undefined ? `${operations.length} operations and no operationName` : `operationName "${named}" names no operation of the document`, true);
  if (request.transport === 'get' && operation.type === 'mutation') return refuse('a mutation over GET');
  return { kind: 'may-run', operation: { type: operation.type, rootKeys: operation.rootKeys, fromManifest } };
}
