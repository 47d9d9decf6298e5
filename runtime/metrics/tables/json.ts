/**
 * Tables as JSON: a list of records, one per row (what `pandas.read_json(path)` reads), the very
 * bytes of `JSON.stringify` on each row object `rowOf` makes — dates and instants as ISO texts,
 * NaN and ±Infinity as null, recorded values as recorded — written cell by cell into one byte
 * buffer, with no object per row.
 *
 * @module
 */
import { DAY_MS, isoDate, isoInstant } from "../../../calendars/days.ts";
import { type ByteWriter, PieceWriters } from "./bytes.ts";
import { blocksOf, rowOf, type Table } from "./table.ts";

/** Whether a string can be written between quotes as it is (printable ASCII, no `"` or `\`). */
function plainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** A string as a JSON string. */
function jsonText(w: ByteWriter, s: string): void {
  if (!plainText(s)) return w.text(JSON.stringify(s));
  w.byte(0x22);
  w.text(s);
  w.byte(0x22);
}

/** A number as `JSON.stringify` writes it (non-finite as null). */
function jsonNumber(w: ByteWriter, v: number): void {
  if (!Number.isFinite(v)) w.text("null");
  else if (!w.decimal(v, false)) w.text(String(v));
}

/**
 * Whether `rowOf`'s objects keep the columns in table order under their own names: an
 * array-index name ("0", "12") is moved first by JavaScript's key order, `__proto__` is not a
 * key at all, and a repeated name keeps one value. Such tables (and one without columns) take the
 * general path.
 */
function keysInOrder(names: readonly string[]): boolean {
  if (names.length === 0) return false;
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n) || n === "__proto__" || /^(0|[1-9]\d*)$/.test(n)) return false;
    seen.add(n);
  }
  return true;
}

/** Appends row `i` of `t` as `rowOf` + `JSON.stringify` write it. */
function generalRow(w: ByteWriter, t: Table, i: number): void {
  w.text(JSON.stringify(rowOf(t, i)));
}

/**
 * A table as JSON records: `[` rows joined by `,\n` `]` and a newline, byte for byte what
 * `JSON.stringify(rowOf(t, i))` per row gives.
 */
export function encodeJsonRecords(t: Table): Uint8Array {
  const [only] = jsonPieces(t, Infinity, Math.max(1 << 16, t.length * t.columns.length * 24));
  return only;
}

/** Bytes of JSON per piece {@link jsonPieces} hands out (see `csvPieces` for why pieces and this size). */
const PIECE = 1 << 18;

/**
 * {@link encodeJsonRecords}'s bytes in pieces of about `size` bytes (whole rows), taking turns in
 * two buffers: a piece stays as it is until the one after the next is asked for.
 */
export function* jsonPieces(
  t: Table,
  size = PIECE,
  capacity = size + (1 << 12),
  turns = new PieceWriters(capacity),
): Generator<Uint8Array> {
  let first = true, keys: RowKeys | undefined;
  turns.start().byte(0x5b); // [
  for (const block of blocksOf(t)) {
    yield* blockPieces(block, keys ??= rowKeys(block), turns, size, first);
    first &&= block.length === 0;
  }
  const w = turns.current;
  w.text("]\n");
  yield w.view();
}

/**
 * A table's JSON records made as its blocks of rows come (`add`, one after another, as
 * `blocksOf` gives them, the first even when empty; then `end`): each piece goes to `sink` at
 * once — the same bytes `jsonPieces` makes of those blocks. For a table written while its rows
 * are still being recorded (`table_stream.ts`). `sink` must be done with a piece when it returns.
 */
export class JsonStream {
  #first = true;
  #keys: RowKeys | undefined;

  constructor(
    private readonly sink: (piece: Uint8Array) => void,
    private readonly size = PIECE,
    private readonly turns = new PieceWriters(size + (1 << 12)),
  ) {
    turns.start().byte(0x5b); // [
  }

  add(block: Table): void {
    const keys = this.#keys ??= rowKeys(block);
    for (const piece of blockPieces(block, keys, this.turns, this.size, this.#first)) {
      this.sink(piece);
    }
    this.#first &&= block.length === 0;
  }

  end(): void {
    const w = this.turns.current;
    w.text("]\n");
    this.sink(w.view());
  }
}

/** What a table's rows begin their cells with, made once for all its blocks. */
interface RowKeys {
  /** Whether rows take the fast path (`keysInOrder`). */
  fast: boolean;
  /** `"name":` of each column, with the row's `{` or the `,` before it. */
  keys: Uint8Array[];
}

function rowKeys(t: Table): RowKeys {
  const names = t.columns.map((c) => c.name), utf8 = new TextEncoder();
  return {
    fast: keysInOrder(names),
    keys: names.map((name, j) => utf8.encode(`${j ? "," : "{"}${JSON.stringify(name)}:`)),
  };
}

/**
 * Writes the rows of `t` (a block of the table) after the rows before it (`first`: none), handing
 * out a piece whenever the buffer holds `size` bytes and going on in the other.
 */
function* blockPieces(
  t: Table,
  { fast, keys }: RowKeys,
  turns: PieceWriters,
  size: number,
  first: boolean,
): Generator<Uint8Array> {
  let w = turns.current;
  const cols = t.columns, n = t.length;
  // A date or instant repeats on most rows (a day's date on each of its rows): after its first
  // writing it is copied from there (its value, where, its length; per column and piece).
  const last = new Float64Array(cols.length).fill(NaN), at = new Int32Array(cols.length);
  const len = new Int32Array(cols.length);
  for (let i = 0; i < n; i++) {
    if (!(first && i === 0) && w.at >= size) {
      yield w.view();
      w = turns.next();
      last.fill(NaN);
    }
    if (!(first && i === 0)) w.text(",\n");
    if (!fast) {
      generalRow(w, t, i);
      continue;
    }
    const from = w.at;
    let ok = true;
    for (let j = 0; j < cols.length && ok; j++) {
      const c = cols[j], v = c.values[i];
      w.bytes(keys[j]);
      switch (c.kind) {
        case "day":
        case "instant": {
          if (v === last[j] && typeof v === "number") {
            w.repeat(at[j], len[j]);
            break;
          }
          last[j] = v as number;
          at[j] = w.at;
          w.byte(0x22);
          if (c.kind === "day") {
            if (!w.isoDay((v as number) / DAY_MS)) w.text(isoDate((v as number) / DAY_MS));
            w.byte(0x22);
          } else if (w.isoInstant(v as number)) w.byte(0x22);
          else {
            w.at = at[j]; // not finite, or beyond the year 9999: as `isoInstant` has it
            const s = isoInstant(v as number);
            if (s === null) w.text("null");
            else jsonText(w, s);
          }
          len[j] = w.at - at[j];
          break;
        }
        case "int":
        case "float":
          if (v === undefined) ok = false; // `rowOf` keeps it, and JSON.stringify drops the key
          else jsonNumber(w, v as number);
          break;
        case "bool":
          w.text(v ? "true" : "false");
          break;
        case "text":
          if (v === null || v === undefined) w.text("null");
          else if (typeof v === "string") jsonText(w, v);
          else w.text(JSON.stringify(v));
          break;
        default: {
          // A recorded value: whatever JSON.stringify makes of it. One it leaves out of an
          // object (a function, a symbol) changes the row's keys: that row takes the general path.
          const s = JSON.stringify(v === undefined ? null : v);
          if (s === undefined) ok = false;
          else w.text(s);
        }
      }
    }
    if (ok) w.byte(0x7d); // }
    else {
      w.at = from;
      generalRow(w, t, i);
    }
  }
}
