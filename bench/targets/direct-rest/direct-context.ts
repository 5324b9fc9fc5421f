/** What every direct-REST handler works with: the shared transport and what was resolved at start. */
import type { SandboxInfo } from '../../sandbox-server.js';
import type { VendorHttp } from './vendor-http.js';
import type { RevioCatalog } from './vendor-reads.js';

export interface DirectContext {
  v: VendorHttp;
  sandbox: SandboxInfo;
  /** The entity the tenant-wide Zuora reads act as: the first configured (the root), as Interlink's default. */
  actingEntityId: string;
  /**
   * Loaded once at start, as Interlink's Rev.io client keeps it for the life of the process:
   * system and entity-type ids are per tenant and change only when Rev.io support adds one.
   */
  catalog: RevioCatalog;
}
