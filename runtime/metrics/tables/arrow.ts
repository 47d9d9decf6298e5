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

/** The validity bitmap of `n` values (bit set = present), or undefined when all are present. */
function validity(n: number, present: (i: number) => boolean): Uint8Array | undefined {
  let bitmap: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    if (present(i)) continue;
    if (!bitmap) {
      bitmap = new Uint8Array((n + 7) >> 3).fill(255);
    }
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
  const nullBitmap = validity(n, (i) => values[i] === values[i]);
  return a.makeVector(
    a.makeData({ type, length: n, nullCount: nulls(nullBitmap, n), nullBitmap, data } as never),
  );
}

/** Strings as Arrow's Utf8 layout (offsets into one UTF-8 buffer), null for missing. */
function strings(a: Arrow, values: ArrayLike<string | null | undefined>) {
  const n = values.length, offsets = new Int32Array(n + 1), w = new ByteWriter(n * 8 + 16);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) w.text(v);
    offsets[i + 1] = w.at;
  }
  const nullBitmap = validity(n, (i) => values[i] !== null && values[i] !== undefined);
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
  const nullBitmap = validity(n, (i) => values[i] !== null && values[i] !== undefined);
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

function vector(a: Arrow, c: Column, n: number) {
  switch (c.kind) {
    case "day": {
      const days = Int32Array.from(c.values, (ms) => (ms === ms ? Math.round(ms / DAY_MS) : 0));
      return numeric(a, new a.DateDay(), days, c.values);
    }
    case "instant": {
      const ms = BigInt64Array.from(c.values, (v) => BigInt(Number.isFinite(v) ? v : 0));
      return numeric(a, new a.TimestampMillisecond("UTC"), ms, c.values);
    }
    case "int":
      return numeric(a, new a.Int32(), Int32Array.from(c.values, (v) => v | 0), c.values);
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

/** A table as an Arrow table, one typed vector per column. */
export async function arrowTable(t: Table): Promise<import("apache-arrow").Table> {
  const a = await lazyImport<Arrow>("apache-arrow");
  const vectors: Record<string, import("apache-arrow").Vector> = {};
  for (const c of t.columns) vectors[c.name] = vector(a, c, t.length);
  return new a.Table(vectors);
}

/** A table as the bytes of an Arrow IPC file (`pyarrow.ipc.open_file`, `pandas.read_feather`). */
export async function arrowFile(t: Table): Promise<Uint8Array> {
  const a = await lazyImport<Arrow>("apache-arrow");
  return a.tableToIPC(await arrowTable(t), "file");
}
