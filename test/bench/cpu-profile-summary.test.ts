import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownerOf, summarizeProfile } from '../../bench/lib/cpu-profile-summary.js';

describe('cpu profile summary', () => {
  it('names the owner of a frame: npm package, Interlink folder, Node internals or V8', () => {
    expect(ownerOf('file:///w/node_modules/got/dist/source/core/options.js', 'merge')).toBe('got');
    expect(ownerOf('file:///w/node_modules/@apollo/server/dist/esm/requestPipeline.js', 'x')).toBe('@apollo/server');
    expect(ownerOf('file:///w/dist/src/upstreams/http.js', 'handler')).toBe('src/upstreams');
    expect(ownerOf('file:///w/src/context.ts', 'createContext')).toBe('src');
    expect(ownerOf('node:_http_client', 'ClientRequest')).toBe('node internals');
    expect(ownerOf('', '(garbage collector)')).toBe('(v8) (garbage collector)');
    expect(ownerOf('', 'writev')).toBe('(native)');
  });

  it('adds self time per function and owner, leaving idle out of the busy total', () => {
    const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 9 } });
    const profile = {
      nodes: [frame(1, '(root)', ''), frame(2, '(idle)', ''), frame(3, 'merge', 'file:///w/node_modules/got/x.js'), frame(4, 'handler', 'file:///w/src/upstreams/http.js')],
      samples: [3, 3, 4, 2, 3],
      timeDeltas: [1000, 1000, 2000, 5000, 1000],
    };
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    writeFileSync(join(dir, 'p.cpuprofile'), JSON.stringify(profile));
    const summary = summarizeProfile(join(dir, 'p.cpuprofile'));
    expect(summary.totalMs).toBe(10);
    expect(summary.busyMs).toBe(5);
    expect(summary.owners.map((o) => [o.name, o.ms, o.share])).toEqual([
      ['got', 3, 0.6],
      ['src/upstreams', 2, 0.4],
    ]);
    expect(summary.functions[0]!.name).toBe('merge node_modules/got/x.js:10');
  });
});
