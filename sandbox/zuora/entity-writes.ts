import type { ZuoraEntityRecord } from '../fixtures/types.js';
import { displayNameField, entityBody, localeField, nameField, optional, timezoneField } from './entity-fields.js';
import { ZuoraCode } from './error-codes.js';
import { readJsonBody } from './read-json-body.js';
import { isGlobalAdmin, type Caller } from './resolve-caller.js';
import { failure, ok } from './responses.js';
import type { ZuoraOperation } from './zuora-call.js';

const CREATE_FIELDS = {
  name: nameField,
  displayName: displayNameField,
  parentId: { required: true },
  locale: localeField,
  timezone: timezoneField,
};
const UPDATE_FIELDS = {
  name: optional(nameField),
  displayName: displayNameField,
  locale: optional(localeField),
  timezone: optional(timezoneField),
};

const notGlobalAdmin = () => failure(ZuoraCode.notPermitted, 'only a global admin (an admin acting as the root entity) may manage entities');
const unknownEntity = (id: string | undefined) => failure(ZuoraCode.notFound, `no entity with id "${id}"`);

/** `POST /v1/entities`: a new Unprovisioned entity under an existing parent. */
export const createEntity: ZuoraOperation = ({ caller, req, newId }) => {
  if (!isGlobalAdmin(caller)) return notGlobalAdmin();
  const parsed = readJsonBody(req.body, CREATE_FIELDS);
  if ('response' in parsed) return parsed.response;
  const { name, displayName, parentId, locale, timezone } = parsed.values as Required<typeof parsed.values>;
  const { tenant } = caller;
  if (!tenant.entities.has(parentId.toLowerCase())) return failure(ZuoraCode.notFound, `no parent entity with id "${parentId}"`);
  if (tenant.entityByName(name)) return failure(ZuoraCode.stateConflict, `an entity named "${name}" already exists`);

  const entity: ZuoraEntityRecord = {
    id: newId(),
    name,
    displayName: displayName ?? name,
    locale,
    timezone,
    status: 'Unprovisioned',
    parentId: parentId.toLowerCase(),
    tenantId: tenant.tenantId,
  };
  tenant.addEntity(entity);
  grantToGlobalAdmins(caller, entity.id);
  return ok(entityBody(entity));
};

/** `PUT /v1/entities/{id}`: names anywhere; locale and time zone only before provisioning. */
export const updateEntity: ZuoraOperation = ({ caller, req, params }) => {
  if (!isGlobalAdmin(caller)) return notGlobalAdmin();
  const parsed = readJsonBody(req.body, UPDATE_FIELDS);
  if ('response' in parsed) return parsed.response;
  const entity = caller.tenant.entities.get((params.id ?? '').toLowerCase());
  if (!entity) return unknownEntity(params.id);

  const { name, displayName, locale, timezone } = parsed.values;
  if (entity.status === 'Provisioned' && (locale !== undefined || timezone !== undefined)) {
    return failure(ZuoraCode.stateConflict, 'locale and timezone cannot be changed once an entity is provisioned');
  }
  if (entity.parentId === null && displayName !== undefined && displayName !== entity.displayName) {
    return failure(ZuoraCode.stateConflict, "the root entity's displayName cannot be changed");
  }
  if (name !== undefined) {
    const holder = caller.tenant.entityByName(name);
    if (holder && holder.id !== entity.id) return failure(ZuoraCode.stateConflict, `an entity named "${name}" already exists`);
    caller.tenant.rename(entity, name);
  }
  if (displayName !== undefined) entity.displayName = displayName;
  if (locale !== undefined) entity.locale = locale;
  if (timezone !== undefined) entity.timezone = timezone;
  return ok();
};

/** `DELETE /v1/entities/{id}`: an unprovisioned entity and everything below it. */
export const deleteEntity: ZuoraOperation = ({ caller, params }) => {
  if (!isGlobalAdmin(caller)) return notGlobalAdmin();
  const subtree = caller.tenant.subtreeOf((params.id ?? '').toLowerCase());
  if (subtree.length === 0) return unknownEntity(params.id);
  if (subtree.some((entity) => entity.status === 'Provisioned')) {
    return failure(ZuoraCode.stateConflict, 'only unprovisioned entities (with no provisioned descendants) can be deleted');
  }
  caller.tenant.removeEntities(subtree);
  return ok();
};

/** `PUT /v1/entities/{id}/provision`: irreversible, and only below a provisioned parent. */
export const provisionEntity: ZuoraOperation = ({ caller, params }) => {
  if (!isGlobalAdmin(caller)) return notGlobalAdmin();
  const entity = caller.tenant.entities.get((params.id ?? '').toLowerCase());
  if (!entity) return unknownEntity(params.id);
  if (entity.status === 'Provisioned') return failure(ZuoraCode.stateConflict, 'the entity is already provisioned');
  const parent = entity.parentId === null ? undefined : caller.tenant.entities.get(entity.parentId);
  if (parent?.status !== 'Provisioned') return failure(ZuoraCode.stateConflict, 'the parent entity must be provisioned first');
  entity.status = 'Provisioned';
  return ok();
};

/** Global admins (admins of the root) may act as every entity, new ones included. */
function grantToGlobalAdmins(caller: Caller, entityId: string): void {
  for (const client of caller.tenant.clients) {
    if (client.grants.get(caller.tenant.rootId) === true) client.grants.set(entityId, true);
  }
}
