// Run by test/unit/heap-growth.test.ts in a child process: allocates the shape a gateway under load
// does (a fixed live set, and garbage that lives long enough to be promoted) and prints the old
// space's peak size in MB, after applyHeapGrowth(argv[2]).
import { getHeapSpaceStatistics } from 'node:v8';
import { applyHeapGrowth } from '../../src/heap-growth.js';

applyHeapGrowth(Number(process.argv[2]));
const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `v${i}` }));
const window: unknown[] = [];
let peak = 0;
for (let round = 0; round < 250; round += 1) {
  window.push(Array.from({ length: 20_000 }, (_, i) => ({ i, s: `g${i}`, round })));
  if (window.length > 8) window.shift();
  const old = getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!.space_size;
  peak = Math.max(peak, old);
}
process.stdout.write(`${JSON.stringify({ peakOldMB: peak / 2 ** 20, live: live.length })}\n`);
