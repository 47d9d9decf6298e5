/**
 * Tables as CSV, row by row into one byte buffer, by a function made for the table's columns:
 * pandas' `read_csv` reads them back with the same values (empty cells for None/NaN,
 * `True`/`False`, RFC 4180 quoting).
 *
 * Repeated values — a day's date on every row of the day, an order's timestamp, a zero
 * commission — are encoded once and copied, which is most of a side table's cells.
 *
 * @module
 */
import { DAY_MS, isoDate, isoInstant } from "../../../calendars/days.ts";
import { type ByteWriter, PieceWriters } from "./bytes.ts";
import { blocksOf, type Column, type Table } from "./table.ts";

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

const day = (ms: number) => isoDate(ms / DAY_MS);

function anyCell(w: ByteWriter, v: unknown): void {
  if (v === null || v === undefined) return;
  if (typeof v === "number") {
    if (v === v) w.text(pythonFloat(v));
  } else if (typeof v === "boolean") w.text(v ? "True" : "False");
  else textCell(w, String(v));
}

/**
 * The statement that writes column `j`'s cell `v`, by the column's kind (see `rowsWriter`). A
 * date or instant repeats on most rows (a day's date on each of its rows, an order's timestamp):
 * after its first writing it is copied from there (`r`: its value, `f`: where, `l`: its length).
 * A float that is not a short decimal keeps its last text (`p`: its value, `s`: the text).
 */
const CELL: Record<string, (j: number) => string> = {
  day: (j) => `if (v === v) ${repeated(j, "if (!w.isoDay(v / DAY_MS)) w.text(day(v));")}`,
  instant: (j) => repeated(j, 'if (!w.isoInstant(v)) w.text(isoInstant(v) ?? "");'),
  int: () => "if (v === v) w.int(Math.round(v));",
  python: (j) =>
    `if (v === v && v !== null && !w.decimal(v, true)) ${lastText(j, "pythonFloat(v)")}`,
  plain: (j) => `if (v === v && v !== null && !w.decimal(v, false)) ${lastText(j, "String(v)")}`,
  bool: () => 'w.text(v ? "True" : "False");',
  text: () => "if (v !== null && v !== undefined) textCell(w, v);",
  cells: () => "anyCell(w, v);",
};

function repeated(j: number, write: string): string {
  return `if (v === r${j}) w.repeat(f${j}, l${j}); ` +
    `else { r${j} = v; f${j} = w.at; ${write} l${j} = w.at - f${j}; }`;
}

function lastText(j: number, text: string): string {
  return `{ if (v !== p${j}) { p${j} = v; s${j} = ${text}; } w.text(s${j}); }`;
}

/**
 * Writes rows from `from` until `n`, or until the buffer holds `limit` bytes (after a whole
 * row); returns the row it stopped before.
 */
type RowsWriter = (
  w: ByteWriter,
  columns: readonly Column[],
  from: number,
  n: number,
  limit: number,
) => number;

/**
 * A function writing a table's rows, made for its columns: each column's values are read at a
 * place of their own in the code, so every read sees one kind of array and stays a fast,
 * single-type access. One loop over columns reading `values[j][i]` sees every kind at one place
 * (float arrays, typed arrays, strings) and V8 falls back to its slowest property access there.
 * The generated loop writes a 100×2,520 run's four tables a fifth faster (94 → 76 ms warm, 146 →
 * 128 ms in a cold `harvester backtest`). Only column positions and kinds (from `CELL`) go into
 * the code, never a name or a value. The values it copies (`r`, `f`, `l`) are its own per call:
 * a call's first rows write them afresh, so a buffer emptied between calls is never copied from.
 */
function rowsWriter(columns: readonly Column[]): RowsWriter {
  const setup: string[] = [], row: string[] = [];
  columns.forEach((c, j) => {
    setup.push(`const c${j} = columns[${j}].values;`);
    setup.push(`let r${j} = NaN, f${j} = 0, l${j} = 0, p${j} = NaN, s${j} = "";`);
    if (j) row.push("w.byte(44);");
    row.push(`{ const v = c${j}[i]; ${CELL[c.kind === "float" ? c.style : c.kind](j)} }`);
  });
  const body = `${setup.join("\n")}
for (let i = from; i < n; i++) {
${row.join("\n")}
w.byte(10);
if (w.at >= limit) return i + 1;
}
return n;`;
  const make = new Function(
    "DAY_MS",
    "day",
    "isoInstant",
    "pythonFloat",
    "textCell",
    "anyCell",
    `return (w, columns, from, n, limit) => {\n${body}\n};`,
  );
  return make(DAY_MS, day, isoInstant, pythonFloat, textCell, anyCell);
}

function writeHeader(w: ByteWriter, columns: readonly Column[]): void {
  columns.forEach((c, j) => {
    if (j) w.byte(44);
    textCell(w, c.name);
  });
  w.byte(10);
}

/** A table as CSV bytes. */
export function encodeCsv(table: Table): Uint8Array {
  const [only] = csvPieces(
    table,
    Infinity,
    Math.max(1 << 16, table.length * table.columns.length * 8),
  );
  return only;
}

/**
 * Bytes of CSV per piece {@link csvPieces} hands out: well inside the processor's caches. A run's
 * four files were written at once, two buffers each: at 1 MB a piece that was 8 MB of fresh memory
 * (about 1,500 more page faults in a cold `-o x.csv`), at 256 KB 2 MB; written one after the
 * other through one pair of buffers (`writeTables`), 0.5 MB.
 */
export const PIECE = 1 << 18;

/**
 * A table's CSV in pieces of about `size` bytes (whole rows; the header starts the first), for a
 * file written while the rest is encoded (`size` Infinity: one piece, `encodeCsv`). The pieces
 * take turns in two buffers (`turns`, which outputs written one after the other may share): a
 * piece stays as it is until the one after the next is asked for.
 *
 * Why pieces: a run's tables are 25 MB of CSV, and memory the process has not used before costs
 * a page fault per 4 KB on first touch (9–14 ms for 26 MB here) — more again when a buffer whose
 * size was guessed short doubles and copies. Two small buffers are touched once and stay cached.
 */
export function* csvPieces(
  table: Table,
  size = PIECE,
  capacity = size + (1 << 12),
  turns = new PieceWriters(capacity),
): Generator<Uint8Array> {
  let w = turns.start(), rows: RowsWriter | undefined, header = false;
  for (const block of blocksOf(table)) {
    const cols = block.columns, n = block.length;
    if (!header) writeHeader(w, cols);
    header = true;
    if (n > 0) rows ??= rowsWriter(cols);
    for (let i = 0; i < n;) {
      i = rows!(w, cols, i, n, size);
      if (w.at >= size) {
        yield w.view();
        w = turns.next();
      }
    }
  }
  if (w.at > 0) yield w.view();
}

/**
 * A table's CSV made as its blocks of rows come (`add`, one block after another, as `blocksOf`
 * gives them, the first even when empty): each full piece goes to `sink` at once, the last at
 * `end` — the same bytes
 * `csvPieces` makes of those blocks. For a table written while its rows are still being
 * recorded (`table_stream.ts`). `sink` must be done with a piece when it returns: its buffer is
 * written over two pieces later.
 */
export class CsvStream {
  #w: ByteWriter;
  #rows: RowsWriter | undefined;
  #header = false;

  constructor(
    private readonly sink: (piece: Uint8Array) => void,
    private readonly size = PIECE,
    private readonly turns = new PieceWriters(size + (1 << 12)),
  ) {
    this.#w = turns.start();
  }

  add(block: Table): void {
    const cols = block.columns, n = block.length;
    if (!this.#header) writeHeader(this.#w, cols);
    this.#header = true;
    if (n > 0) this.#rows ??= rowsWriter(cols);
    for (let i = 0; i < n;) {
      i = this.#rows!(this.#w, cols, i, n, this.size);
      if (this.#w.at >= this.size) {
        this.sink(this.#w.view());
        this.#w = this.turns.next();
      }
    }
  }

  /** The last piece (after at least one block, if only an empty one: the header). */
  end(): void {
    if (this.#w.at > 0) this.sink(this.#w.view());
  }
}

/** A table as a CSV string (for stdout and tests). */
export function csvString(table: Table): string {
  return new TextDecoder().decode(encodeCsv(table));
}

export type { Column };
