/**
 * A value loaded at most once, on first use, then shared by every resolver of the request
 * (the whole-tenant lists: all Zuora entities, the m3ter configuration). A failure is kept too:
 * within one request, asking again would only repeat the failing call.
 */
export interface Lazy<T> {
  get(): Promise<T>;
}

export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let value: Promise<T> | undefined;
  return {
    get() {
      value ??= load();
      return value;
    },
  };
}
