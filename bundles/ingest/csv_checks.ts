/**
 * Checks on csvdir rows loaded into a staging table (`sid, date, open, high, low, close, volume,
 * dividend, split`). One pass counts every kind of problem; only a kind that occurs is looked at
 * again, to find its first row and turn it into an `IngestError` naming the file, its line and
 * the column. With `lenient`, droppable problems are deleted instead.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { IngestError } from "../errors.ts";
import { findDateLine } from "./csv_files.ts";
import { firstFound, rowsOf } from "./first_found.ts";

interface Check {
  /** SQL condition over the staging row `r` that marks it bad. */
  where: string;
  /** The column to name. */
  column: string;
  problem: string;
  /** Whether `--lenient` drops such rows instead of failing. */
  droppable: boolean;
}

/** Row checks in the order they are reported. */
export const ROW_CHECKS: readonly Check[] = [
  { where: "r.date IS NULL", column: "date", problem: "empty date", droppable: false },
  ...["open", "high", "low", "close"].map((c) => ({
    where: `r.${c} IS NULL OR isnan(r.${c})`,
    column: c,
    problem: "empty or NaN price",
    droppable: true,
  })),
  ...["open", "high", "low", "close"].map((c) => ({
    where: `r.${c} < 0`,
    column: c,
    problem: "negative price",
    droppable: true,
  })),
  { where: "r.volume < 0", column: "volume", problem: "negative volume", droppable: true },
  { where: "r.high < r.low", column: "high", problem: "high is below low", droppable: true },
  {
    where: "r.split IS NOT NULL AND r.split <= 0",
    column: "split",
    problem: "split must be > 0",
    droppable: false,
  },
  { where: "r.dividend < 0", column: "dividend", problem: "negative dividend", droppable: false },
];

/** Maps a staging row's sid back to its file. */
export type PathOf = (sid: number) => string;

const isMidnight = (d: Date) => d.getTime() % 86_400_000 === 0;

/** An error at the row of `path` dated `date`, with its line looked up in the file. */
export function rowError(
  path: string,
  date: unknown,
  column: string,
  problem: string,
  more = 0,
): IngestError {
  const day = date instanceof Date ? date.toISOString().slice(0, 10) : undefined;
  const line = date instanceof Date ? findDateLine(path, date, isMidnight(date)) : undefined;
  const tail = more > 0
    ? ` (and ${more} more row${more === 1 ? "" : "s"} like it; --lenient drops such rows)`
    : "";
  return new IngestError(`${problem}${day ? ` on ${day}` : ""}${tail}`, {
    file: path,
    line,
    column,
  });
}

/**
 * Runs the row checks on `table`. With `lenient`, droppable problems are deleted and counted;
 * returns the number of dropped rows.
 */
export async function checkRows(
  conn: DuckDBConnection,
  table: string,
  pathOf: PathOf,
  lenient: boolean,
): Promise<number> {
  const counts = (await rowsOf(
    conn,
    `SELECT ${ROW_CHECKS.map((c, i) => `count_if(${c.where})::BIGINT AS c${i}`).join(", ")}
     FROM ${table} r`,
  ))[0];
  let dropped = 0;
  for (const [i, c] of ROW_CHECKS.entries()) {
    const n = Number(counts[`c${i}`]);
    if (n === 0) continue;
    if (lenient && c.droppable) {
      const r = await rowsOf(
        conn,
        `SELECT count(*)::INTEGER AS n FROM ${table} r WHERE ${c.where}`,
      );
      await conn.run(`DELETE FROM ${table} r WHERE ${c.where}`);
      dropped += Number(r[0]?.n ?? 0);
      continue;
    }
    const [bad] = await rowsOf(
      conn,
      `SELECT sid, date FROM ${table} r WHERE ${c.where} ORDER BY sid, date LIMIT 1`,
    );
    throw rowError(pathOf(Number(bad.sid)), bad.date, c.column, c.problem, n - 1);
  }
  return dropped;
}

/** Fails on a date (daily) or minute given twice in one file. */
export async function checkDuplicates(
  conn: DuckDBConnection,
  table: string,
  pathOf: PathOf,
  daily: boolean,
): Promise<void> {
  // Per sid, the number of distinct times is the popcount of a bitstring over the time range:
  // four times cheaper than hashing every (sid, time) key, while the bitstrings stay small.
  const unit = daily ? "(date - DATE '1970-01-01')" : "(epoch(date) // 60)";
  const [span] = await rowsOf(
    conn,
    `SELECT min(${unit})::BIGINT AS lo, max(${unit})::BIGINT AS hi, count(DISTINCT sid)::BIGINT AS k
     FROM ${table}`,
  );
  const lo = Number(span.lo), hi = Number(span.hi);
  if (!Number.isFinite(lo)) return;
  const sql = (hi - lo + 1) * Number(span.k) <= 2e8
    ? `SELECT sum(n - d)::BIGINT AS n FROM (SELECT count(*) AS n,
         bit_count(bitstring_agg(${unit}::BIGINT, ${lo}, ${hi})) AS d FROM ${table} GROUP BY sid)`
    : `SELECT count(*) - count(DISTINCT (sid::BIGINT << 40) + ${unit}::BIGINT) AS n FROM ${table}`;
  const [{ n }] = await rowsOf(conn, sql);
  if (Number(n) === 0) return;
  const [dup] = await rowsOf(
    conn,
    `SELECT sid, date AS t FROM ${table} GROUP BY sid, date HAVING count(*) > 1 ORDER BY sid, t LIMIT 1`,
  );
  const path = pathOf(Number(dup.sid));
  const when = dup.t instanceof Date ? dup.t.toISOString().replace(".000Z", "Z") : String(dup.t);
  const line = dup.t instanceof Date ? findDateLine(path, dup.t, daily) : undefined;
  throw new IngestError(`${when} appears more than once`, { file: path, line, column: "date" });
}

/** Reports the first problem DuckDB's CSV reader rejected (unparseable values, short rows). */
export async function checkRejects(conn: DuckDBConnection): Promise<void> {
  const r = await firstFound(
    conn,
    `SELECT s.file_path AS path, e.line, e.column_name AS col, e.error_type AS kind,
            e.error_message AS msg
     FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)`,
    "path, line",
  );
  if (!r) return;
  const more = Number(r.n) - 1;
  const kind = String(r.kind);
  const value = /string "(.*)" to '(\w+)'/.exec(String(r.msg));
  const problem = kind === "CAST" && value
    ? `cannot read "${value[1]}" as ${
      value[2] === "DATE" || value[2] === "TIMESTAMP" ? "a date" : "a number"
    }`
    : kind === "MISSING COLUMNS" || kind === "TOO MANY COLUMNS"
    ? `${kind.toLowerCase()}: ${String(r.msg)}`
    : String(r.msg);
  const tail = more > 0 ? ` (${more} more problem${more === 1 ? "" : "s"} after it)` : "";
  throw new IngestError(`${problem}${tail}`, {
    file: String(r.path),
    line: Number(r.line),
    column: String(r.col),
  });
}
