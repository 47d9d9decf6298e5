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

function numeric<T extends import("apache-arrow").DataType>(
  a: Arrow,
  type: T,
  data: T["TArray"],
  values: Numbers,
) {
  const n = values.length;
  const nullBitmap = validity(values, true);
  return a.makeVector(
    a.makeData({ type, length: n, nullCount: nulls(nullBitmap, n), nullBitmap, data } as never),
  );
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

/** Strings as Arrow's Utf8 layout (offsets into one UTF-8 buffer), null for missing. */
function strings(a: Arrow, values: ArrayLike<string | null | undefined>) {
  const n = values.length, offsets = new Int32Array(n + 1), w = new ByteWriter(n * 8 + 16);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) w.text(v);
    offsets[i + 1] = w.at;
  }
  const nullBitmap = validity(values, false);
  return a.makeVector(a.makeData({
    type: new a.Utf8(),
    length: n,
    nullCount: nulls(nullBitmap, n),
    nullBitmap,
    valueOffsets: offsets,
    data: w.view().slice(),
  }));
}

/** Flags as Arrow's bit-packed booleans. */
function flags(a: Arrow, values: ArrayLike<unknown>) {
  const n = values.length, data = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (values[i]) data[i >> 3] |= 1 << (i & 7);
  const nullBitmap = validity(values, false);
  return a.makeVector(
    a.makeData({
      type: new a.Bool(),
      length: n,
      nullCount: nulls(nullBitmap, n),
      nullBitmap,
      data,
    }),
  );
}

function floats(a: Arrow, values: Numbers) {
  const data = values instanceof Float64Array ? values : Float64Array.from(values);
  return numeric(a, new a.Float64(), data, values);
}

function vector(a: Arrow, c: Column, n: number, wideInts: boolean) {
  switch (c.kind) {
    case "day":
      return numeric(a, new a.DateDay(), epochDays(c.values), c.values);
    case "instant":
      return numeric(a, new a.TimestampMillisecond("UTC"), int64s(c.values), c.values);
    case "int":
      return wideInts
        ? numeric(a, new a.Int64(), int64s(c.values), c.values)
        : numeric(a, new a.Int32(), int32s(c.values), c.values);
    case "float":
      return floats(a, c.values);
    case "bool":
      return flags(a, c.values);
    case "text":
      return strings(a, c.values);
    default: {
      // A recorded column.
      const vs = Array.from({ length: n }, (_, i) => c.values[i]);
      const type = cellsType(vs);
      if (type === "number") return floats(a, vs.map((v) => (typeof v === "number" ? v : NaN)));
      if (type === "boolean") return flags(a, vs);
      return strings(a, vs.map((v) => (v == null ? null : String(v))));
    }
  }
}

/**
 * A table as an Arrow table, one typed vector per column; `wideInts` writes counts as Int64
 * (what the Parquet files have always held: pandas' int64).
 */
export async function arrowTable(
  t: Table,
  wideInts = false,
): Promise<import("apache-arrow").Table> {
  const a = await lazyImport<Arrow>("apache-arrow");
  const vectors: Record<string, import("apache-arrow").Vector> = {};
  for (const c of t.columns) vectors[c.name] = vector(a, c, t.length, wideInts);
  return new a.Table(vectors);
}

/** A table as the bytes of an Arrow IPC file (`pyarrow.ipc.open_file`, `pandas.read_feather`). */
export async function arrowFile(t: Table): Promise<Uint8Array> {
  const a = await lazyImport<Arrow>("apache-arrow");
  return a.tableToIPC(await arrowTable(t), "file");
}
