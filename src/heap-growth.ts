/**
 * How far V8 lets the old generation grow past what is live before a full collection. Left to
 * itself V8 grows it up to four times when collections look cheap, so a gateway with ~40 MB live
 * peaked ~100 MB above idle under load; at the default 150% it peaks ~55 MB above idle for the
 * same CPU (bench:ab; the figures are in README.md, "Memory under load").
 *
 * Node refuses this V8 flag in NODE_OPTIONS, and settings are read after start, so the entry point
 * sets it through `v8.setFlagsFromString`: V8 reads it at every collection, so it applies from the
 * next one.
 */
import { setFlagsFromString } from 'node:v8';

/** `percent` 0 leaves V8's own heuristics in place. */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
