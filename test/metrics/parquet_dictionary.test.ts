/**
 * Which text columns `-o x.parquet` dictionary-encodes, on tables longer than the rows the choice
 * is counted on: one that repeats (symbols) is, one whose values mostly differ is not, and every
 * value reads back either way. Read by DuckDB's `parquet_metadata` from a real file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { openDb, sqlString } from "../../bundles/store/duckdb.ts";
import type { Table } from "../../runtime/metrics/tables/table.ts";
import { writeTables } from "../../runtime/metrics/tables/write.ts";

const dir = mkdtempSync(join(tmpdir(), "hv-parquet-dict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a long table's repeating text is dictionary-encoded, its varied text is not", async () => {
  const n = 50_000;
  const symbols = Array.from({ length: n }, (_, i) => `SYM${(i * 7919) % 60}`);
  // Mostly distinct, with a few repeats: not ids by name, counted like any text.
  const notes = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? "same" : `note ${i}`));
  const t: Table = {
    length: n,
    columns: [
      { name: "symbol", kind: "text", values: symbols },
      { name: "note", kind: "text", values: notes },
    ],
  };
  const path = join(dir, "t.parquet");
  await writeTables([{ path, table: t }], ".parquet");
  const db = await openDb(":memory:");
  try {
    const q = async (sql: string) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson();
    const chunks = await q(
      `SELECT path_in_schema AS col, encodings FROM parquet_metadata(${sqlString(path)})`,
    );
    const encodings = (c: string) => chunks.filter((r) => r.col === c).map((r) => r.encodings);
    expect(encodings("symbol").every((e) => String(e).includes("DICTIONARY"))).toBe(true);
    expect(encodings("note").some((e) => String(e).includes("DICTIONARY"))).toBe(false);
    const back = await q(`SELECT symbol, note FROM ${sqlString(path)}`);
    expect(back.map((r) => r.symbol)).toEqual(symbols);
    expect(back.map((r) => r.note)).toEqual(notes);
  } finally {
    db.close();
  }
});
