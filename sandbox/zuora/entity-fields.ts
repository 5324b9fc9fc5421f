import type { ZuoraEntityRecord } from '../fixtures/types.js';
import type { StringField } from './read-json-body.js';

/** An entity name: letters, digits, space, period and hyphen; up to 255 characters. */
const NAME = /^[A-Za-z0-9 .-]{1,255}$/;
/** `en_US`, `zh_CN`, `de`: a language, optionally with a region. */
const LOCALE = /^[a-z]{2,3}(?:_[A-Z]{2})?$/;
const knownZones = new Map<string, boolean>();

export const nameField: StringField = {
  required: true,
  check: (value) => (NAME.test(value) && value.trim() !== '' ? undefined : 'must be 1-255 characters of letters, digits, space, period or hyphen'),
};

export const displayNameField: StringField = {
  required: false,
  check: (value) => (value.length >= 1 && value.length <= 255 ? undefined : 'must be 1-255 characters'),
};

export const localeField: StringField = {
  required: true,
  check: (value) => (LOCALE.test(value) ? undefined : `must look like en_US, got "${value}"`),
};

export const timezoneField: StringField = {
  required: true,
  check: (value) => (isTimeZone(value) ? undefined : `must be an IANA time zone or GMT, got "${value}"`),
};

/** Optional variants for UpdateEntity, where every field may be left out. */
export const optional = (field: StringField): StringField => ({ ...field, required: false });

/** An entity as the API shows it: the stored record's fields, nothing more. */
export function entityBody(entity: ZuoraEntityRecord): Record<string, unknown> {
  return {
    id: entity.id,
    name: entity.name,
    displayName: entity.displayName,
    locale: entity.locale,
    timezone: entity.timezone,
    status: entity.status,
    parentId: entity.parentId,
    tenantId: entity.tenantId,
  };
}

/** Intl knows every IANA zone (and GMT); cached because constructing a formatter is not cheap. */
function isTimeZone(value: string): boolean {
  let known = knownZones.get(value);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      known = value.length > 0;
    } catch {
      known = false;
    }
    if (knownZones.size < 1_000) knownZones.set(value, known);
  }
  return known;
}
