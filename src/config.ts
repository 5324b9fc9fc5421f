/**
 * The only reader of `process.env`: `loadConfig()` returns a frozen, typed `Config`. The settings
 * table is in src/config/settings.ts, each vendor's section in src/upstreams/<vendor>/settings.ts.
 */
export { loadConfig, type Env, type ReadFile } from './config/load-config.js';
export { LOG_LEVELS, VENDOR_SETTINGS, type LogLevel } from './config/settings.js';
export type {
  Config,
  ConfigFor,
  IdempotencyConfig,
  M3terTenant,
  MutableConfig,
  ResilienceConfig,
  RevioTenant,
  ServerConfig,
  UpstreamsConfig,
  VendorConfig,
  ZuoraTenant,
} from './config/config-types.js';
