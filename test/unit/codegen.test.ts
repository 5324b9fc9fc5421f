import { generate } from '@graphql-codegen/cli';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('generated GraphQL types', () => {
  it('match schema/*.graphql (run npm run codegen after a schema change)', async () => {
    const outputs = await generate({ cwd: process.cwd(), ...(await import('yaml')).parse(await readFile('codegen.yml', 'utf8')), silent: true }, false);
    const fresh = outputs.find((o: { filename: string }) => o.filename.endsWith('src/__generated__/graphql.ts'));
    expect(fresh, 'codegen produced no src/__generated__/graphql.ts').toBeDefined();
    const committed = await readFile('src/__generated__/graphql.ts', 'utf8');
    expect(committed === fresh!.content, 'src/__generated__/graphql.ts is stale: run npm run codegen').toBe(true);
  }, 60_000);
});
