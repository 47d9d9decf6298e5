/**
 * Finished cells on disk, under `$HARVESTER_ROOT/sweeps/cells/<key[0..2]>/<key>.json`, each
 * written atomically (temp file, fsync, rename): an interrupted sweep leaves only whole results,
 * and running it again computes only the cells that are missing.
 *
 * @module
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { type CellResult, parseResult, resultJson } from "./cell.ts";

/** The folder of a root's sweep cache. */
export function cacheDir(root: string): string {
  return join(root, "sweeps", "cells");
}

/** Reads and writes finished cells by key. */
export class CellCache {
  constructor(readonly dir: string) {}

  /** The cache of a `HARVESTER_ROOT`. */
  static of(root: string): CellCache {
    return new CellCache(cacheDir(root));
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The cached result of a key, or undefined (a damaged file counts as missing). */
  get(key: string): CellResult | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(key), "utf8");
    } catch {
      return undefined;
    }
    try {
      const r = parseResult(text);
      return r.key === key ? r : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a result under its key, atomically. */
  put(result: CellResult): void {
    const file = this.path(result.key);
    mkdirSync(join(this.dir, result.key.slice(0, 2)), { recursive: true });
    const tmp = `${file}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, resultJson(result));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }
}
