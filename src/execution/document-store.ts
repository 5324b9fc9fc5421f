/**
 * Apollo's cache of parsed and validated documents (its `documentStore` option), bounded by the
 * bytes its documents really hold. Apollo's own default weighs a document by the JSON of its
 * syntax tree, which leaves out the source text the tree keeps alive (every node's `loc`, and
 * the token list, point into it): 600 distinct documents of ~900 KB, mostly one long comment and
 * well under the token and body limits, were weighed at a few hundred bytes each and took the
 * heap from 88 MB to 597 MB, kept after idle. Here a document weighs its source text plus five
 * times its tree's JSON (measured: the tree takes 4.7 times its JSON in heap).
 */
import type { DocumentNode } from 'graphql';
import { ByteBoundedLru, type CacheSize } from '../lib/byte-bounded-lru.js';

/** 32 MB: some 1,600 documents the size of W1's, or 35 of 900 KB. */
export const DOCUMENT_CACHE_BYTES = 32 * 1024 * 1024;

/** Heap per byte of a syntax tree's JSON, measured on a 250-field document. */
const TREE_BYTES_PER_JSON_BYTE = 5;

export function documentBytes(document: DocumentNode): number {
  return (document.loc?.source.body.length ?? 0) + TREE_BYTES_PER_JSON_BYTE * JSON.stringify(document).length;
}

/** Apollo's `KeyValueCache<DocumentNode>`, as its request pipeline reads and fills it. */
export class DocumentStore implements CacheSize {
  readonly #documents: ByteBoundedLru<DocumentNode>;

  constructor(maxBytes = DOCUMENT_CACHE_BYTES) {
    this.#documents = new ByteBoundedLru({ maxBytes });
  }

  get bytes(): number {
    return this.#documents.bytes;
  }

  get size(): number {
    return this.#documents.size;
  }

  get maxBytes(): number {
    return this.#documents.maxBytes;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    return this.#documents.get(key);
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    this.#documents.set(key, document, documentBytes(document));
  }

  async delete(key: string): Promise<boolean> {
    return this.#documents.delete(key);
  }
}
