import type { KeyLinkSearchField } from './key-link-store.js';
import { parseListQuery, type SearchFieldKind } from './list-query.js';
import type { Operation, RevioCall } from './operation.js';
import { pathId, selfHref } from './path-id.js';
import { appError, collection, invalidRequest, okBody, single, type FieldError } from './responses.js';
import { validateKeyLinkWrite } from './validate-key-link-write.js';

const RESOURCE = 'IntegrationKeyLink';
const SEARCH_FIELDS: Readonly<Record<KeyLinkSearchField, SearchFieldKind>> = {
  integration_key_link_id: 'int',
  integration_system_id: 'int',
  integration_entity_type_id: 'int',
  internal_id: 'int',
  external_id: 'string',
};

/** `GET /v1/IntegrationKeyLink`: this client's links, filtered, in id order. */
export const listKeyLinks: Operation = (call) => {
  const query = parseListQuery(call.req.query, SEARCH_FIELDS);
  if (!query.ok) return invalidRequest(query.errors);
  const { page, pageSize, filters } = query.value;
  const result = call.client.links.search(filters, page, pageSize);
  return collection(result.records, result.hasMore);
};

export const getKeyLink: Operation = (call) => {
  const id = pathId(call);
  if (typeof id !== 'number') return id;
  const record = call.client.links.get(id);
  return record ? single(record, selfHref(call, RESOURCE, id)) : notFound(id);
};

/** 201 with Location and `{ok, id}`; duplicates are allowed (Rev.io is not known to refuse them). */
export const createKeyLink: Operation = (call) => {
  const check = validateKeyLinkWrite(call.req.body, call.state, call.client);
  if (!check.ok) return rejected(check.message, check.errors);
  const record = call.client.links.create(check.fields, { created_date: wallClockUtc(call), created_by: call.user.userId });
  const id = record.integration_key_link_id;
  return { status: 201, headers: { location: selfHref(call, RESOURCE, id) }, body: { ok: true, id } };
};

/** Full replace with the POST rules; the id and audit fields stay as they were. */
export const replaceKeyLink: Operation = (call) => {
  const id = pathId(call);
  if (typeof id !== 'number') return id;
  // An unknown id is 404 even when the body is also bad: the resource is checked first.
  if (!call.client.links.get(id)) return notFound(id);
  const check = validateKeyLinkWrite(call.req.body, call.state, call.client);
  if (!check.ok) return rejected(check.message, check.errors);
  call.client.links.replace(id, check.fields);
  return okBody();
};

export const deleteKeyLink: Operation = (call) => {
  const id = pathId(call);
  if (typeof id !== 'number') return id;
  return call.client.links.delete(id) ? okBody() : notFound(id);
};

function notFound(id: number) {
  return appError(404, `No integration key link has id ${id}.`);
}

function rejected(message: string | undefined, errors: FieldError[]) {
  return message === undefined ? invalidRequest(errors) : appError(400, message);
}

/** `created_date` is UTC wall-clock time with milliseconds and no offset, e.g. 2024-05-01T16:24:21.293. */
function wallClockUtc(call: RevioCall): string {
  return new Date(call.env.now).toISOString().slice(0, -1);
}
