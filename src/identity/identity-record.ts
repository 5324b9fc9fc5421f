/**
 * Records as the identity graph names them. Both providers write the same record differently:
 * m3ter's own side is `m3ter`, Rev.io's `Rev.io`, and Rev.io names them again as external systems
 * (`M3TER`, `ZUORA`); Zuora ids come 32-hex, hyphenated or upper-case. A record's key is its
 * system (case-insensitive, those spellings merged) and its id (exact, Zuora's normalised), so
 * one record is one node however each provider spells it. Types are left out of the key: Rev.io
 * has none on its external side, and an id is unique within its system in every system linked.
 */
import type { LinkSide } from '../models.js';
import { zuoraIdOf } from '../upstreams/index.js';

/** Which lookups a record gets: its own provider's (as an internal end), and everyone's as an external end. */
export type RecordKind = 'm3ter' | 'revio' | 'zuora' | 'other';

export interface IdentityRecord {
  key: string;
  kind: RecordKind;
  /** Shown as `m3ter`, `Rev.io`, `Zuora`, or another system's name as first seen. */
  system: string;
  /** The first type any link gave it (m3ter entity or external table, Rev.io entity type). */
  type: string | null;
  id: string;
  /** Hops from the record the graph started at. */
  depth: number;
}

const KIND_OF: Readonly<Record<string, { kind: RecordKind; shown: string }>> = {
  m3ter: { kind: 'm3ter', shown: 'm3ter' },
  'rev.io': { kind: 'revio', shown: 'Rev.io' },
  revio: { kind: 'revio', shown: 'Rev.io' },
  zuora: { kind: 'zuora', shown: 'Zuora' },
};

/** The record at one end of a link (or the one a caller names), not yet placed in a graph. */
export function recordOf(side: LinkSide, depth: number): IdentityRecord {
  const lower = side.system.trim().toLowerCase();
  const known = KIND_OF[lower];
  const kind = known?.kind ?? 'other';
  const id = kind === 'zuora' ? (zuoraIdOf(side.id) ?? side.id) : side.id;
  return { key: `${kind === 'other' ? lower : kind}\n${id}`, kind, system: known?.shown ?? side.system, type: kind === 'zuora' ? (side.type ?? 'Entity') : side.type, id, depth };
}
