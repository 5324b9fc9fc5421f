import { ForbiddenError } from '../errors.js';
import type { Scope } from './api-key-record.js';
import type { Caller } from './caller.js';

/** Queries need `read`, mutations `write`; a key without the scope gets `FORBIDDEN` before any resolver runs. */
export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.includes(scope)) {
    throw new ForbiddenError(`API key "${caller.keyId}" lacks the "${scope}" scope this operation needs`);
  }
}
