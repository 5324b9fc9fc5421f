/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) into self time per function and per
 * owner: the npm package a function's file belongs to, Interlink's own folder (`src/upstreams`,
 * …), Node's internals, or V8 (GC, idle, program). "Where does a request's CPU go" as a table.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  owner: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Without V8's idle time: what the process spent working. */
  busyMs: number;
  functions: SelfTime[];
  owners: SelfTime[];
}

export function summarizeProfile(path: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const functions = new Map<string, SelfTime>();
  const owners = new Map<string, SelfTime>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const owner = ownerOf(frame.url, frame.functionName);
    const name = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    add(functions, name, owner, us);
    add(owners, owner, owner, us);
  }
  const busyUs = totalUs - idleUs;
  const finish = (map: Map<string, SelfTime>) =>
    [...map.values()].map((entry) => ({ ...entry, ms: entry.ms / 1000, share: entry.ms / busyUs })).sort((a, b) => b.ms - a.ms);
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, functions: finish(functions), owners: finish(owners) };
}

function add(map: Map<string, SelfTime>, name: string, owner: string, us: number): void {
  const entry = map.get(name) ?? { name, owner, ms: 0, share: 0 };
  entry.ms += us;
  map.set(name, entry);
}

/** `got`, `@apollo/server`, `src/upstreams`, `node:internal`, or `(v8)` for GC, program and the like. */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? `(v8) ${functionName}` : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  // A folder of src/ (src/upstreams), or `src` for a file directly in it (src/context.ts).
  const own = /\/(?:dist\/)?src\/([^/]+)(\/)?/.exec(url);
  if (own) return own[2] === undefined ? 'src' : `src/${own[1]!}`;
  return shortUrl(url);
}

function shortUrl(url: string): string {
  const own = /\/((?:dist\/)?(?:src|node_modules)\/.*)$/.exec(url);
  return own ? own[1]!.replace(/^dist\//, '') : url.replace(/^file:\/\//, '');
}
