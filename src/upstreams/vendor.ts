/** The upstream vendors. Adding one here makes every exhaustive switch over `Vendor` fail to compile until handled. */
export const VENDORS = ['zuora', 'm3ter', 'revio'] as const;

export type Vendor = (typeof VENDORS)[number];
