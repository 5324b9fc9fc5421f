/** Milliseconds between two ledger entries, by the sandbox clock. */
export function gapMs(earlier: { time: string } | undefined, later: { time: string } | undefined): number {
  if (!earlier || !later) throw new Error('missing ledger entry');
  return Date.parse(later.time) - Date.parse(earlier.time);
}
