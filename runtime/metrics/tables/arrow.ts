/**
 * Tables as Apache Arrow, typed column by column: dates as `Date32`, instants as UTC millisecond
 * timestamps, counts as `Int32`, numbers as `Float64` sharing the run's buffers when nothing is
 * missing, NaN and None as Arrow nulls (what pandas reads back as NaN / NaT / None).
 * `apache-arrow` is loaded on first use.
 *
 * @module
 */
import { DAY_MS } from "../../../calendars/days.ts";
import { ByteWriter } from "./bytes.ts";
import { cellsType, type Column, type Numbers, type Table } from "./table.ts";
import { lazyImport } from "../../lazy.ts";

type Arrow = typeof import("apache-arrow");

/**
 * Which values are present — not null or undefined, or for `numbers` not NaN — as a validity
 * bitmap, or undefined when all are. Float columns (most of every table) take a loop of their
 * own: one loop reading float arrays, string arrays and typed arrays alike reads them all the
 * slow way (a fifth of the Arrow and Parquet writers' JavaScript time).
 */
function validity(values: ArrayLike<unknown>, numbers: boolean): Uint8Array | undefined {
  return values instanceof Float64Array ? floatValidity(values) : cellValidity(values, numbers);
}

function floatValidity(values: Float64Array): Uint8Array | undefined {
  const n = values.length;
  let i = 0;
  while (i < n && values[i] === values[i]) i++;
  if (i === n) return undefined;
  const bitmap = new Uint8Array((n + 7) >> 3).fill(255);
  for (; i < n; i++) if (values[i] !== values[i]) bitmap[i >> 3] &= ~(1 << (i & 7));
  return bitmap;
}

function cellValidity(values: ArrayLike<unknown>, numbers: boolean): Uint8Array | undefined {
  const n = values.length;
  let bitmap: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (numbers ? v === v : v != null) continue;
    bitmap ??= new Uint8Array((n + 7) >> 3).fill(255);
    bitmap[i >> 3] &= ~(1 << (i & 7));
  }
  return bitmap;
}

function nulls(bitmap: Uint8Array | undefined, n: number): number {
  if (!bitmap) return 0;
  let valid = 0;
  for (let i = 0; i < n; i++) valid += (bitmap[i >> 3] >> (i & 7)) & 1;
  return n - valid;
}

/** Days since the epoch of UTC-midnight instants (0 where missing: the bitmap says so). */
function epochDays(values: Numbers): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === v ? Math.round(v / DAY_MS) : 0;
  }
  return out;
}

/**
 * Milliseconds as 64-bit integers, written as two 32-bit halves: no BigInt per value (a BigInt
 * is an allocation; an orders table has two instants per row).
 */
function int64s(values: Numbers): BigInt64Array {
  const out = new BigInt64Array(values.length), halves = new Uint32Array(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue; // 0, marked missing by the bitmap
    const high = Math.floor(v / 4294967296);
    halves[2 * i] = v - high * 4294967296; // little-endian: the low half first
    halves[2 * i + 1] = high; // two's complement for a negative high half
  }
  return out;
}

function int32s(values: Numbers): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] | 0;
  return out;
}

/**
 * A column as Arrow lays it out, before any Arrow library sees it: its type, its null count and
 * validity bitmap (none when nothing is missing), and its buffers (Utf8: the offsets, then the
 * bytes). The IPC writer (`arrow_ipc.ts`) writes these as they are; `arrowTable` wraps them.
 */
export interface ArrowColumn {
  name: string;
  type: ArrowType;
  length: number;
  nullCount: number;
  nullBitmap: Uint8Array | undefined;
  offsets?: Int32Array;
  data: Int32Array | BigInt64Array | Float64Array | Uint8Array;
}

/** The Arrow types the writers use. */
export type ArrowType =
  | "date32"
  | "timestamp_ms_utc"
  | "int32"
  | "int64"
  | "float64"
  | "bool"
  | "utf8";

function present(
  name: string,
  type: ArrowType,
  data: ArrowColumn["data"],
  values: ArrayLike<unknown>,
  numbers: boolean,
): ArrowColumn {
  const n = values.length, nullBitmap = validity(values, numbers);
  return { name, type, length: n, nullCount: nulls(nullBitmap, n), nullBitmap, data };
}

/**
 * Strings as Arrow's Utf8 layout (offsets into one UTF-8 buffer), null for missing. The buffer is
 * sized to the strings' lengths first (order ids are longer than a guess of 8 bytes a value: it
 * grew, copying, for every block of the orders table), and is `scratch`'s when given: the writer
 * of a file made a block at a time reuses one per column rather than make one per block.
 */
function strings(
  name: string,
  values: ArrayLike<string | null | undefined>,
  scratch?: ByteWriter,
): ArrowColumn {
  const n = values.length, offsets = new Int32Array(n + 1);
  let units = 16;
  for (let i = 0; i < n; i++) units += values[i]?.length ?? 0;
  const w = scratch ?? new ByteWriter(units);
  w.at = 0;
  w.reserve(units); // ASCII: exactly enough; anything else grows as it goes
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) w.text(v);
    offsets[i + 1] = w.at;
  }
  return { ...present(name, "utf8", w.view(), values, false), offsets };
}

/** Flags as Arrow's bit-packed booleans. */
function flags(name: string, values: ArrayLike<unknown>): ArrowColumn {
  const n = values.length, data = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (values[i]) data[i >> 3] |= 1 << (i & 7);
  return present(name, "bool", data, values, false);
}

function floats(name: string, values: Numbers): ArrowColumn {
  const data = values instanceof Float64Array ? values : Float64Array.from(values);
  return present(name, "float64", data, values, true);
}

/**
 * A table's column in Arrow's layout; `wideInts` writes counts as Int64 (what the Parquet files
 * have always held: pandas' int64). A text column's bytes go into `scratch` when given (its
 * buffer is the column's data until the next call with it).
 */
export function arrowColumn(
  c: Column,
  n: number,
  wideInts: boolean,
  scratch?: ByteWriter,
): ArrowColumn {
  switch (c.kind) {
    case "day":
      return present(c.name, "date32", epochDays(c.values), c.values, true);
    case "instant":
      return present(c.name, "timestamp_ms_utc", int64s(c.values), c.values, true);
    case "int":
      return wideInts
        ? present(c.name, "int64", int64s(c.values), c.values, true)
        : present(c.name, "int32", int32s(c.values), c.values, true);
    case "float":
      return floats(c.name, c.values);
    case "bool":
      return flags(c.name, c.values);
    case "text":
      return strings(c.name, c.values, scratch);
    default: {
      // A recorded column.
      const vs = Array.from({ length: n }, (_, i) => c.values[i]);
      const type = cellsType(vs);
      if (type === "number") {
        return floats(c.name, vs.map((v) => (typeof v === "number" ? v : NaN)));
      }
      if (type === "boolean") return flags(c.name, vs);
      return strings(c.name, vs.map((v) => (v == null ? null : String(v))));
    }
  }
}

function arrowType(a: Arrow, type: ArrowType) {
  switch (type) {
    case "date32":
      return new a.DateDay();
    case "timestamp_ms_utc":
      return new a.TimestampMillisecond("UTC");
    case "int32":
      return new a.Int32();
    case "int64":
      return new a.Int64();
    case "float64":
      return new a.Float64();
    case "bool":
      return new a.Bool();
    case "utf8":
      return new a.Utf8();
  }
}

/**
 * A table as an Arrow table, one typed vector per column; `wideInts` writes counts as Int64.
 * The files (`-o x.arrow`, `-o x.parquet`) do not go through it: see `arrow_ipc.ts`.
 */
export async function arrowTable(
  t: Table,
  wideInts = false,
): Promise<import("apache-arrow").Table> {
  const a = await lazyImport<Arrow>("apache-arrow");
  const vectors: Record<string, import("apache-arrow").Vector> = {};
  for (const c of t.columns) {
    const col = arrowColumn(c, t.length, wideInts);
    vectors[c.name] = a.makeVector(
      a.makeData({
        type: arrowType(a, col.type),
        length: col.length,
        nullCount: col.nullCount,
        nullBitmap: col.nullBitmap,
        valueOffsets: col.offsets,
        data: col.data,
      } as never),
    );
  }
  return new a.Table(vectors);
}
