/**
 * How one vendor client sends its calls when identical reads in flight may share one call
 * (`server.shareVendorReads`): reads through the client's `InFlightReads`, writes marking it.
 * With the setting off there is nothing in between: each call is sent as it is.
 *
 * One per client, and every client serves one credential: a key never needs the tenant, but it
 * needs whatever else picks the data (Zuora's acting entity, which one credential switches).
 */
import { InFlightReads } from './in-flight-reads.js';
import type { Vendor } from './vendor.js';

/** A read that waited for an identical one in flight instead of calling the vendor. */
export interface SharedReadEvent {
  vendor: Vendor;
  operation: string;
  /** The gateway request that joined (not the one whose call it was). */
  requestId?: string | undefined;
}

export interface ReadSharingOptions {
  /** Config `server.shareVendorReads`; each vendor's `connect` passes it. Off when absent. */
  shareReads?: boolean | undefined;
  /** Told of each read that joined another's call; a throwing listener cannot break the read. */
  onSharedRead?: ((event: SharedReadEvent) => void) | undefined;
}

export interface ReadSharing {
  /** A GET that may be answered by an identical one in flight; `key` names everything that picks its answer. */
  read<T>(key: string, call: { operation: string; requestId?: string | undefined }, send: () => Promise<T>): Promise<T>;
  /** Any other method: a read asked for after it started or ended never joins one begun before. */
  write<T>(send: () => Promise<T>): Promise<T>;
}

const UNSHARED: ReadSharing = { read: (_key, _call, send) => send(), write: (send) => send() };

export function readSharing(vendor: Vendor, options: ReadSharingOptions): ReadSharing {
  if (options.shareReads !== true) return UNSHARED;
  const reads = new InFlightReads();
  const report = (call: { operation: string; requestId?: string | undefined }) => (): void => {
    try {
      options.onSharedRead?.({ vendor, operation: call.operation, requestId: call.requestId });
    } catch {
      // A metrics listener must not break the read.
    }
  };
  return {
    read: (key, call, send) => reads.run(key, send, report(call)),
    write: (send) => reads.write(send),
  };
}

/** The key of a GET: path relative to the base URL and its query as sent. */
export function readKey(path: string, searchParams?: URLSearchParams): string {
  const query = searchParams === undefined ? '' : searchParams.toString();
  return query === '' ? `GET ${path}` : `GET ${path}?${query}`;
}
