/**
 * DuckDB access for the bundle store. The binding is imported on first use, so commands that
 * never touch a bundle do not pay for loading it.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBMaterializedResult } from "@duckdb/node-api";
import { lazyImport } from "../../runtime/lazy.ts";

type DuckModule = typeof import("@duckdb/node-api");
let duck: Promise<DuckModule> | undefined;

/** The `@duckdb/node-api` module, loaded once. */
export function duckdb(): Promise<DuckModule> {
  return (duck ??= lazyImport<DuckModule>("@duckdb/node-api"));
}

/** An open database with one connection. */
export interface Db {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

/** Opens (or creates) a database file; `readOnly` for readers. */
export async function openDb(
  path: string,
  opts: { readOnly?: boolean; memoryLimit?: string } = {},
): Promise<Db> {
  const { DuckDBInstance } = await duckdb();
  const options: Record<string, string> = {};
  if (opts.readOnly) options.access_mode = "READ_ONLY";
  if (opts.memoryLimit) options.memory_limit = opts.memoryLimit;
  const instance = await DuckDBInstance.create(path, options);
  const conn = await instance.connect();
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Numeric column types a query can be read into. */
export type ColumnKind = "f64" | "i32";

interface RawVector {
  items?: ArrayLike<number>;
  itemCount: number;
  getItem(i: number): unknown;
}

/** A LIST of STRUCT column as the binding hands it out: a child vector per struct field. */
interface RawListVector {
  childVector: { entryVectors: RawVector[]; itemCount: number };
  itemCount: number;
  getEntryOffset(i: number): number;
  getEntryLength(i: number): number;
}

/**
 * Runs a query of the shape `SELECT key, list({a: …, b: …}) … GROUP BY key`, whose key is an
 * INTEGER and whose struct fields are all DOUBLE or INTEGER, and calls `visit` once per group with
 * its key and, per struct field, an array holding the group's values at `from`…`to` (exclusive).
 *
 * Why lists: a plain query's rows come back 2,048 to a chunk, and the binding spends about 60 µs
 * of the JavaScript thread per chunk fetched and per column viewed (a year of ten assets' minutes
 * is 480 chunks: 40–60 ms), where a group's list is one contiguous vector per field, fetched in
 * one chunk for up to 2,048 keys. The aggregation runs on DuckDB's threads. One list of structs,
 * not one list per field, so a row's values stay together whatever order the groups' rows come in.
 *
 * The arrays are the binding's own copies of DuckDB's vectors (it is built without external
 * buffers: `NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED` in duckdb-node-neo's bindings), so they stay
 * valid after `visit`. One set serves every group of a result chunk: a group is its range in it.
 */
export async function visitGroupLists(
  conn: DuckDBConnection,
  sql: string,
  kinds: readonly ColumnKind[],
  visit: (key: number, fields: readonly ArrayLike<number>[], from: number, to: number) => void,
): Promise<void> {
  const res: DuckDBMaterializedResult = await conn.run(sql);
  for (let c = 0; c < res.chunkCount; c++) {
    const ch = res.getChunk(c);
    const keys = ch.getColumnVector(0) as unknown as RawVector;
    const lists = ch.getColumnVector(1) as unknown as RawListVector;
    const entries = lists.childVector.entryVectors;
    if (entries.length !== kinds.length) {
      throw new Error(`visitGroupLists: ${entries.length} struct fields, expected ${kinds.length}`);
    }
    const n = lists.childVector.itemCount;
    const fields = entries.map((v, k) => {
      if (v.items && v.items.length === n) return v.items;
      // Not a plain numeric vector (another type): read value by value. NULLs must be replaced
      // in SQL (e.g. `coalesce(x, 'NaN'::DOUBLE)`): typed arrays have no null.
      const out = kinds[k] === "f64" ? new Float64Array(n) : new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(v.getItem(i) ?? NaN);
      return out;
    });
    for (let r = 0; r < ch.rowCount; r++) {
      const from = lists.getEntryOffset(r);
      visit(Number(keys.getItem(r)), fields, from, from + lists.getEntryLength(r));
    }
  }
}

/** Quotes a string as an SQL literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
