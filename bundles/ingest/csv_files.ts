/** Finding csvdir files, reading their header lines and locating a row's line for error messages. */
import { basename, join } from "node:path";
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { IngestError } from "../errors.ts";

/** One data file: `SYMBOL.csv` or `SYMBOL.csv.gz`. */
export interface CsvFile {
  symbol: string;
  path: string;
}

/** The `*.csv*` files of a folder, sorted by symbol (zipline's sid order). */
export function listCsvFiles(dir: string): CsvFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new IngestError(`cannot read folder ${dir}`);
  }
  const files = names
    .filter((n) => n.includes(".csv") && statSync(join(dir, n)).isFile())
    .map((n) => ({ symbol: n.slice(0, n.indexOf(".csv")), path: join(dir, n) }))
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  for (let i = 1; i < files.length; i++) {
    if (files[i].symbol === files[i - 1].symbol) {
      throw new IngestError(
        `symbol ${files[i].symbol} has two files: ${basename(files[i - 1].path)} and ${
          basename(files[i].path)
        }`,
        { file: files[i].path },
      );
    }
  }
  return files;
}

/** Whole text of a file, decompressing `.gz`; a damaged archive is an `IngestError`. */
export function readText(path: string): string {
  const bytes = readFileSync(path);
  if (!path.endsWith(".gz")) return new TextDecoder().decode(bytes);
  try {
    return new TextDecoder().decode(gunzipSync(bytes));
  } catch (e) {
    throw new IngestError(
      `cannot decompress: ${(e as Error).message} (truncated or damaged .gz?)`,
      { file: path },
    );
  }
}

/** The header's column names (trimmed; empty array for an empty file). */
export function readHeader(path: string): string[] {
  let first: string;
  if (path.endsWith(".gz")) {
    first = readText(path).split("\n", 1)[0];
  } else {
    const fd = openSync(path, "r");
    try {
      const buf = new Uint8Array(4096);
      const n = readSync(fd, buf, 0, buf.length, 0);
      first = new TextDecoder().decode(buf.subarray(0, n)).split("\n", 1)[0];
    } finally {
      closeSync(fd);
    }
  }
  first = first.replace(/^\uFEFF/, "").replace(/\r$/, "");
  return first.trim() === "" ? [] : first.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
}

/** UTC ms of a csv date field (a zone-less value is UTC, as DuckDB reads it). */
function fieldTime(field: string): number {
  const f = field.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(f)) return Date.parse(`${f}T00:00:00Z`);
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(f) ? f : `${f}Z`);
}

/**
 * Line number (1-based) of the first data row dated `when`: the same day when `day` is true
 * (daily files), else the same instant (minute files).
 */
export function findDateLine(path: string, when: Date, day = true): number | undefined {
  const lines = readText(path).split("\n");
  const target = when.getTime();
  for (let i = 1; i < lines.length; i++) {
    const field = lines[i].split(",", 1)[0].trim().replace(/^"|"$/g, "");
    const t = fieldTime(field);
    if (day ? Math.floor(t / 86_400_000) === Math.floor(target / 86_400_000) : t === target) {
      return i + 1;
    }
  }
  return undefined;
}
