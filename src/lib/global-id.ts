import { BadUserInputError } from '../errors.js';

/** Object types that have global ids (the schema's `Node` implementations). */
export type NodeType = 'Entity' | 'Connection' | 'ExternalLink';
const NODE_TYPES: readonly NodeType[] = ['Entity', 'Connection', 'ExternalLink'];

export interface GlobalId {
  type: NodeType;
  /** Native parts, e.g. `[provider, tenant, nativeId]` for an ExternalLink. */
  parts: string[];
}

/**
 * Opaque global ids: base64url of `Type:part:part`, each part URI-encoded so a `:` inside an
 * external id cannot shift the others. Opaque so clients never parse them and we may change them.
 */
export function toGlobalId(type: NodeType, ...parts: string[]): string {
  return Buffer.from([type, ...parts.map(encodeURIComponent)].join(':'), 'utf8').toString('base64url');
}

/** Decodes a global id; `undefined` when it is not one of ours. */
export function fromGlobalId(id: string): GlobalId | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  const [type, ...encoded] = Buffer.from(id, 'base64url').toString('utf8').split(':');
  if (!NODE_TYPES.includes(type as NodeType) || encoded.length === 0) return undefined;
  try {
    return { type: type as NodeType, parts: encoded.map(decodeURIComponent) };
  } catch {
    return undefined;
  }
}

/** Decodes a global id of one type with a fixed number of parts, or throws BAD_USER_INPUT. */
export function expectGlobalId(id: string, type: NodeType, partCount: number, argument = 'id'): string[] {
  const decoded = fromGlobalId(id);
  if (!decoded || decoded.type !== type || decoded.parts.length !== partCount) {
    throw new BadUserInputError(`${argument} must be a ${type} id, got "${id.slice(0, 80)}"`);
  }
  return decoded.parts;
}
