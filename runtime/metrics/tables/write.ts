/**
 * Tables to files: CSV, JSON records, Arrow IPC or Parquet, every table of a run or a sweep
 * through the same encoders. CSV and JSON are written a piece of 256 KB at a time as they are
 * encoded (two buffers reused by every file instead of one the size of each: 49 against 55 ms
 * best, 50 against 68 ms median, for a 100 × 2,520 run's four CSV tables), from tables made a
 * block of rows at a time (`blocked.ts`); Arrow as a record batch per such block; Parquet a table
 * at a time. Files are written one after the other (`writePieces` writes synchronously: see why
 * there).
 *
 * @module
 */
import { arrowFilePieces, arrowIpc } from "./arrow_ipc.ts";
import { csvPieces, PIECE } from "./csv.ts";
import { jsonPieces } from "./json.ts";
import { PieceWriters } from "./bytes.ts";
import { blocksOf, type Column, type Table } from "./table.ts";
import { lazyImport } from "../../lazy.ts";
import { writeBytes, writePieces } from "../../fs.ts";

/** The formats {@link writeTables} writes, by file suffix. */
export type TableFormat = ".csv" | ".arrow" | ".parquet" | ".json";

/** A table and the file it goes to. */
export interface TableFile {
  path: string;
  table: Table;
}

/** Writes each table to its file in `format`; fails with the first write that failed. */
export async function writeTables(files: readonly TableFile[], format: TableFormat): Promise<void> {
  const encode = format === ".parquet" ? await parquetEncoder() : null;
  const writes: Promise<void>[] = [];
  // Each file's pieces are written before the next file's are made: one pair of buffers for all.
  const turns = new PieceWriters(PIECE + (1 << 12));
  for (const f of files) {
    if (format !== ".parquet") {
      const pieces = format === ".csv"
        ? csvPieces(f.table, undefined, undefined, turns)
        : format === ".json"
        ? jsonPieces(f.table, undefined, undefined, turns)
        : arrowFilePieces(f.table, turns);
      writes.push(writePieces(f.path, pieces));
      continue;
    }
    writes.push(writeBytes(f.path, encode!(f.table)));
  }
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/**
 * Whether a text column repeats enough for Parquet's dictionary encoding (symbols, labels): at
 * most one distinct value in eight, counted on up to `SAMPLE` rows spread evenly over the table or
 * its first block (every row of a smaller one). Counting every row of a run's side tables cost 4 ms of a 70 ms
 * write; the choice only sets how the column is encoded, never what it holds. A column of ids
 * says so (`ids`) and is not counted: the first hash of each fresh id string would cost more
 * than writing it.
 */
function repeats(c: Column, length: number): boolean {
  if (c.kind !== "text" || c.ids) return false;
  const step = Math.max(1, Math.floor(length / SAMPLE));
  const seen = new Set<string | null>(), most = Math.ceil(length / step) >> 3;
  for (let i = 0; i < length; i += step) {
    seen.add(c.values[i]);
    if (seen.size > most) return false;
  }
  return true;
}

const SAMPLE = 4096;

type ParquetWasm = typeof import("parquet-wasm/bundler");

/**
 * Parquet through the Arrow IPC stream the `.arrow` output writes (counts widened to Int64, as
 * pandas reads them; see `arrow_ipc.ts`, which spares the 40 ms of loading `apache-arrow`) and
 * parquet-wasm's writer (the Rust `parquet` crate): snappy-compressed as
 * pyarrow and DuckDB write by default, dictionary-encoded only where a text column repeats — on
 * numbers and ids a dictionary is tried and thrown away, at a third of the speed. Min/max
 * statistics are kept for the date and time columns, what a reader skips row groups by
 * (`WHERE date >= …`); on the value columns they cost a quarter of the writer's time
 * (41 → 31 ms for a 100 × 2,520 run's tables) and no reader of these files filters by them.
 */
async function parquetEncoder(): Promise<(t: Table) => Uint8Array> {
  const pq = await parquetWriter();
  return (table) => {
    // Counted on the first block of rows: a table made a block at a time is never made whole.
    const [sample] = blocksOf(table);
    return pq.write(arrowIpc(table, true), pq.properties(sample));
  };
}

/** What Parquet is written with: its properties for a table, then the file from its IPC stream. */
export interface ParquetWriter {
  /** The properties for a table whose first block of rows is `sample`. */
  properties(sample: Table): ParquetProperties;
  /** The file's bytes from the table's Arrow IPC stream (counts as Int64: `arrowIpc(t, true)`). */
  write(ipc: Uint8Array, properties: ParquetProperties): Uint8Array;
}

/** Opaque: parquet-wasm's writer properties (consumed by the write). */
export type ParquetProperties = { readonly parquet: unique symbol };

/** parquet-wasm, loaded, with the properties `parquetEncoder` explains. */
export async function parquetWriter(): Promise<ParquetWriter> {
  const pq = await lazyImport<ParquetWasm>("parquet-wasm/bundler");
  return {
    properties(sample) {
      let props = new pq.WriterPropertiesBuilder()
        .setCompression(pq.Compression.SNAPPY)
        .setDictionaryEnabled(false)
        .setStatisticsEnabled(pq.EnabledStatistics.None);
      for (const c of sample.columns) {
        if (repeats(c, sample.length)) props = props.setColumnDictionaryEnabled(c.name, true);
        if (c.kind === "day" || c.kind === "instant") {
          props = props.setColumnStatisticsEnabled(c.name, pq.EnabledStatistics.Chunk);
        }
      }
      return props.build() as unknown as ParquetProperties;
    },
    // Both arguments are consumed by the call (wasm-bindgen moves them).
    write: (ipc, properties) =>
      pq.writeParquet(
        pq.Table.fromIPCStream(ipc),
        properties as unknown as Parameters<ParquetWasm["writeParquet"]>[1],
      ),
  };
}
