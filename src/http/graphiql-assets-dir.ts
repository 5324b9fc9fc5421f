import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build:graphiql` writes the page: `<package root>/dist/graphiql`. The package root
 * is found by walking up to package.json because this module runs from src/http under tsx and from
 * dist/src/http when compiled (the Docker image).
 */
export function graphiqlAssetsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'graphiql');
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}; pass assetsDir explicitly`);
  }
}
