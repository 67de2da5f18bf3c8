/**
 * Where document bytes live. The pipeline only sees {@link DocumentStorage}; the local-dir
 * implementation is the default, and another store (S3-compatible) can implement the same
 * four methods without touching the pipeline. Keys are content addresses (sha256), so writing
 * the same bytes twice is harmless.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

/** A blob store keyed by opaque strings. */
export interface DocumentStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** Hex sha256 of the bytes. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The content-addressed key of some bytes. */
export function blobKey(hash: string): string {
  return `blobs/${hash.slice(0, 2)}/${hash}`;
}

const KEY = /^[a-z0-9/_-]+$/;

/** Files under `root`; writes go to a temporary name first and are renamed into place. */
export function createLocalStorage(root: string): DocumentStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    // Keys are ours, but a key must never walk out of the data directory.
    if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid storage key ${key}`);
    return join(base, key);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    },
    async get(key) {
      return readFile(pathOf(key));
    },
    async exists(key) {
      try {
        await stat(pathOf(key));
        return true;
      } catch {
        return false;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
