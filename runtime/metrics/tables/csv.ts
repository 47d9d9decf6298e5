/**
 * Tables as CSV, column by column into one byte buffer: pandas' `read_csv` reads them back with
 * the same values (empty cells for None/NaN, `True`/`False`, RFC 4180 quoting).
 *
 * Repeated values — a day's date on every row of the day, an order's timestamp, a zero
 * commission — are encoded once and copied, which is most of a side table's cells.
 *
 * @module
 */
import { DAY_MS, isoDate, isoInstant } from "../../../calendars/days.ts";
import { ByteWriter } from "./bytes.ts";
import type { Column, Table } from "./table.ts";

const KIND = { day: 0, instant: 1, int: 2, python: 3, plain: 4, bool: 5, text: 6, cells: 7 };
const NEEDS_QUOTES = /[",\n\r]/;

/**
 * A string cell, quoted when it holds a comma, quote or line break. ASCII is written straight
 * in, watching for those four characters (no regular expression per cell); anything else takes
 * the general path.
 */
function textCell(w: ByteWriter, s: string): void {
  const n = s.length;
  w.reserve(n);
  const buf = w.buf;
  let at = w.at;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || c === 44 || c === 34 || c === 10 || c === 13) return quotedCell(w, s);
    buf[at++] = c;
  }
  w.at = at;
}

function quotedCell(w: ByteWriter, s: string): void {
  if (!NEEDS_QUOTES.test(s)) return w.text(s);
  w.byte(34);
  w.text(s.replaceAll('"', '""'));
  w.byte(34);
}

/** A number as pandas writes a float column: whole numbers with `.0`. */
function pythonFloat(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** The text of the last value seen in a column, reused while the value repeats. */
class Memo {
  value = NaN;
  text = "";
  write(w: ByteWriter, v: number, format: (v: number) => string | null): void {
    if (v !== this.value) {
      this.value = v;
      this.text = format(v) ?? "";
    }
    w.text(this.text);
  }
}

/**
 * A date or instant column's last value: repeated on most rows (a day's date on each of its
 * rows), so after its first writing it is copied from there.
 */
class TimeMemo {
  value = NaN;
  from = 0;
  length = 0;
  write(w: ByteWriter, v: number, format: (v: number) => string | null): void {
    if (v === this.value) return w.repeat(this.from, this.length);
    this.value = v;
    this.from = w.at;
    w.text(format(v) ?? "");
    this.length = w.at - this.from;
  }
}

const day = (ms: number) => isoDate(ms / DAY_MS);

function anyCell(w: ByteWriter, v: unknown): void {
  if (v === null || v === undefined) return;
  if (typeof v === "number") {
    if (v === v) w.text(pythonFloat(v));
  } else if (typeof v === "boolean") w.text(v ? "True" : "False");
  else textCell(w, String(v));
}

/** Appends `table` (a header line, then its rows) to `w`. */
export function writeCsv(w: ByteWriter, table: Table): void {
  const cols = table.columns, k = cols.length;
  cols.forEach((c, j) => {
    if (j) w.byte(44);
    textCell(w, c.name);
  });
  w.byte(10);
  const kinds = cols.map((c) => KIND[c.kind === "float" ? c.style : c.kind]);
  const values = cols.map((c) => c.values as ArrayLike<unknown>);
  const memos = cols.map(() => new Memo()), times = cols.map(() => new TimeMemo());
  for (let i = 0; i < table.length; i++) {
    for (let j = 0; j < k; j++) {
      if (j) w.byte(44);
      const v = values[j][i];
      switch (kinds[j]) {
        case 0: // day
          if (v === v) times[j].write(w, v as number, day);
          break;
        case 1: // instant
          times[j].write(w, v as number, isoInstant);
          break;
        case 2: // int
          if (v === v) w.int(Math.round(v as number));
          break;
        case 3: // float, pandas style
          if (v === v && v !== null && !w.decimal(v as number, true)) {
            memos[j].write(w, v as number, pythonFloat);
          }
          break;
        case 4: // float, as JavaScript prints it
          if (v === v && v !== null && !w.decimal(v as number, false)) {
            memos[j].write(w, v as number, String);
          }
          break;
        case 5: // bool
          w.text(v ? "True" : "False");
          break;
        case 6: // text
          if (v !== null && v !== undefined) textCell(w, v as string);
          break;
        default:
          anyCell(w, v);
      }
    }
    w.byte(10);
  }
}

/** A table as CSV bytes. */
export function encodeCsv(table: Table): Uint8Array {
  const w = new ByteWriter(Math.max(1 << 16, table.length * table.columns.length * 8));
  writeCsv(w, table);
  return w.view();
}

/** A table as a CSV string (for stdout and tests). */
export function csvString(table: Table): string {
  return new TextDecoder().decode(encodeCsv(table));
}

export type { Column };
