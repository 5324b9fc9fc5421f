/** Node's `IncomingMessage.headers`, a plain record, or Apollo's `HeaderMap` (a `Map`); names lower case. */
export type HeaderSource = Readonly<Record<string, string | readonly string[] | undefined>> | ReadonlyMap<string, string>;

/** The first value of header `name` (lower case), trimmed; `undefined` when absent or blank. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  const raw = headers instanceof Map ? headers.get(name) : (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
