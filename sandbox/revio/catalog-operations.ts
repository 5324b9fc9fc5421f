import type { RevioEntityTypeRecord, RevioSystemRecord } from '../fixtures/types.js';
import { parseListQuery, type SearchFieldKind } from './list-query.js';
import type { Operation } from './operation.js';
import { pageOf } from './page-of.js';
import { pathId, selfHref } from './path-id.js';
import { appError, collection, invalidRequest, single } from './responses.js';
import type { RevioState } from './revio-state.js';

/** A read-only list shared by every client: integration systems or entity types. */
interface Catalog<T extends object, F extends keyof T & string> {
  /** The route's resource name, e.g. IntegrationSystem. */
  resource: string;
  /** What a 404 calls one record, e.g. "integration system". */
  noun: string;
  searchFields: Readonly<Record<F, SearchFieldKind>>;
  items(state: RevioState): readonly T[];
  byId(state: RevioState): ReadonlyMap<number, T>;
}

const SYSTEMS: Catalog<RevioSystemRecord, keyof RevioSystemRecord> = {
  resource: 'IntegrationSystem',
  noun: 'integration system',
  searchFields: { integration_system_id: 'int', system_name: 'string' },
  items: (state) => state.systems,
  byId: (state) => state.systemsById,
};

const ENTITY_TYPES: Catalog<RevioEntityTypeRecord, keyof RevioEntityTypeRecord> = {
  resource: 'IntegrationEntityType',
  noun: 'integration entity type',
  searchFields: { integration_entity_type_id: 'int', entity_type_name: 'string' },
  items: (state) => state.entityTypes,
  byId: (state) => state.entityTypesById,
};

export const listSystems = listOperation(SYSTEMS);
export const getSystem = getOperation(SYSTEMS);
export const listEntityTypes = listOperation(ENTITY_TYPES);
export const getEntityType = getOperation(ENTITY_TYPES);

/** These lists hold a few dozen rows at most, so a scan per request is cheap. */
function listOperation<T extends object, F extends keyof T & string>(catalog: Catalog<T, F>): Operation {
  return (call) => {
    const query = parseListQuery(call.req.query, catalog.searchFields);
    if (!query.ok) return invalidRequest(query.errors);
    const { page, pageSize, filters } = query.value;
    const matches = (item: T) =>
      filters.every((filter) => {
        const actual = item[filter.field];
        return typeof actual === 'string' ? actual.toLowerCase() === filter.value : actual === filter.value;
      });
    const result = pageOf(catalog.items(call.state), (item) => (matches(item) ? item : undefined), page, pageSize);
    return collection(result.records, result.hasMore);
  };
}

function getOperation<T extends object, F extends keyof T & string>(catalog: Catalog<T, F>): Operation {
  return (call) => {
    const id = pathId(call);
    if (typeof id !== 'number') return id;
    const item = catalog.byId(call.state).get(id);
    if (!item) return appError(404, `No ${catalog.noun} has id ${id}.`);
    return single(item, selfHref(call, catalog.resource, id));
  };
}
