/** A record in an external system, as links point at it: system name (any case) and exact id. */
export interface ExternalRecordKey {
  system: string;
  id: string;
}

/** System names compare case-insensitively across providers (`Salesforce` = `SALESFORCE`); ids exactly. */
export function externalRecordCacheKey(key: ExternalRecordKey): string {
  return `${key.system.toLowerCase()}\n${key.id}`;
}
