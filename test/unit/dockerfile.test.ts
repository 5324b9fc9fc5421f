import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * No Docker engine runs here, so the image is checked by reading its Dockerfile: the properties
 * the issue asks for, and that every file it copies or runs exists where the build puts it.
 */
interface Instruction {
  keyword: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[][] {
  // Join continuation lines, drop comments and blank lines, split into stages at FROM.
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)?.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') });
  }
  return stages;
}

const stages = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const [build, runtime] = [stages[0]!, stages.at(-1)!];
const args = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage: a build stage with npm ci and the build, a runtime stage with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(args(build, 'RUN')).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), 'npm run build']));
    const runtimeRuns = args(runtime, 'RUN').join(' ');
    expect(runtimeRuns).toMatch(/npm ci --omit=dev\b/);
    expect(runtimeRuns).not.toMatch(/npm run build|npm install\b/);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
    expect(args(runtime, 'COPY')).toContain('--from=build /app/dist ./dist');
  });

  it('runs as a non-root user', () => {
    const users = args(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const userAt = runtime.findIndex((i) => i.keyword === 'USER');
    expect(runtime.findIndex((i) => i.keyword === 'CMD')).toBeGreaterThan(userAt);
  });

  it('listens on all interfaces on a configurable port, and checks /healthz on that port', () => {
    const env = args(runtime, 'ENV').join(' ');
    expect(env).toMatch(/INTERLINK_HOST=0\.0\.0\.0/);
    expect(env).toMatch(/INTERLINK_PORT=4000/);
    const [healthcheck] = args(runtime, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/\/healthz/);
    expect(healthcheck).toMatch(/process\.env\.INTERLINK_PORT/);
    expect(args(runtime, 'EXPOSE')).toEqual(['4000']);
  });

  it('starts the gateway entry point that `npm run build` compiles from src/index.ts', () => {
    const [cmd] = args(runtime, 'CMD');
    expect(JSON.parse(cmd!)).toEqual(['node', 'dist/src/index.js']);
    const buildConfig = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { compilerOptions: { outDir: string; rootDir: string }; include: string[] };
    expect(buildConfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(buildConfig.include).toEqual(expect.arrayContaining(['src', 'sandbox']));
    expect(existsSync('src/index.ts')).toBe(true);
  });

  it('copies only paths that exist, and ships the schema the server reads at start', () => {
    for (const copy of [...args(build, 'COPY'), ...args(runtime, 'COPY')].filter((a) => !a.startsWith('--from'))) {
      const sources = copy.split(' ').slice(0, -1);
      for (const source of sources) expect(existsSync(source), source).toBe(true);
    }
    expect(args(runtime, 'COPY')).toContain('schema ./schema');
  });
});
