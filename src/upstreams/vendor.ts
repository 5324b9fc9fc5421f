/**
 * A vendor's name, as config sections, grants, errors and metrics know it: the registry's rows.
 * A row added there makes every exhaustive `Record<Vendor, …>` fail to compile until handled.
 */
import type { VENDOR_REGISTRY } from './registry.js';

export type Vendor = (typeof VENDOR_REGISTRY)[number]['name'];
