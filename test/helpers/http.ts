/** A response read once: status, lower-cased headers and the body parsed as JSON when it is JSON. */
export interface HttpResult<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or URLSearchParams as is. */
  body?: unknown;
}

/** Plain fetch over loopback for contract tests: no client library between the test and the wire. */
export async function http<T = any>(url: string, options: HttpOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | URLSearchParams | undefined;
  if (options.body === undefined || typeof options.body === 'string' || options.body instanceof URLSearchParams) {
    body = options.body as string | URLSearchParams | undefined;
  } else {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
    parsed = JSON.parse(text);
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), body: parsed as T, text };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
