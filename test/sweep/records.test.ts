import { afterAll, describe, expect, test } from "vitest";
import { join } from "node:path";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { recordsCsv, type RecordTable, writeRecords } from "../../runtime/sweep/records.ts";
import { openDb, sqlString } from "../../bundles/store/duckdb.ts";

const dir = mkdtempSync(join(tmpdir(), "records-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A sweep-like table: parameters as text, metrics as numbers, a failed cell's error.
const table: RecordTable = {
  columns: ["short", "label", "sharpe", "trades", "error"],
  text: ["short", "label", "error"],
  rows: [
    { short: 5, label: 'a,"b"', sharpe: 1.25, trades: 12, error: null },
    { short: 10, label: "line\nbreak", sharpe: NaN, trades: 0, error: "boom" },
    { short: 20, label: "cr\rhere", sharpe: -0.1, trades: 3 },
    { short: 40, label: "é", sharpe: 1 / 3, trades: 1e21, error: undefined },
  ],
};

describe("sweep record tables", () => {
  test("CSV: numbers as JavaScript prints them, text quoted where it must be, missing empty", () => {
    expect(recordsCsv(table)).toBe(
      "short,label,sharpe,trades,error\n" +
        '5,"a,""b""",1.25,12,\n' +
        '10,"line\nbreak",,0,boom\n' +
        '20,"cr\rhere",-0.1,3,\n' +
        `40,é,${String(1 / 3)},1e+21,\n`,
    );
  });

  test("a number column holding text is written as text, nothing lost", () => {
    const mixed: RecordTable = {
      columns: ["x"],
      text: [],
      rows: [{ x: 1 }, { x: "n/a" }, { x: null }],
    };
    expect(recordsCsv(mixed)).toBe("x\n1\nn/a\n\n");
  });

  test("Arrow and Parquet: text as strings, numbers as doubles, missing as null", async () => {
    const arrowPath = join(dir, "t.arrow"), parquetPath = join(dir, "t.parquet");
    await writeRecords(table, arrowPath);
    await writeRecords(table, parquetPath);
    const arrow = await import("apache-arrow");
    const t = arrow.tableFromIPC(readFileSync(arrowPath));
    expect(t.getChild("short")!.toArray()).toEqual(["5", "10", "20", "40"]);
    expect(String(t.schema.fields.find((f) => f.name === "sharpe")!.type)).toBe("Float64");
    expect(t.getChild("sharpe")!.get(1)).toBeNull();
    expect(t.getChild("error")!.get(1)).toBe("boom");

    const db = await openDb(":memory:");
    try {
      const q = async (sql: string) => (await db.conn.runAndReadAll(sql)).getRowObjectsJS();
      const file = sqlString(parquetPath);
      const types = Object.fromEntries(
        (await q(`DESCRIBE SELECT * FROM read_parquet(${file})`))
          .map((r) => [r.column_name, r.column_type]),
      );
      expect(types).toEqual({
        short: "VARCHAR",
        label: "VARCHAR",
        sharpe: "DOUBLE",
        trades: "DOUBLE",
        error: "VARCHAR",
      });
      const rows = await q(`SELECT label, sharpe, trades, error FROM read_parquet(${file})`);
      expect(rows.map((r) => [r.label, r.sharpe, r.trades, r.error])).toEqual([
        ['a,"b"', 1.25, 12, null],
        ["line\nbreak", null, 0, "boom"],
        ["cr\rhere", -0.1, 3, null],
        ["é", 1 / 3, 1e21, null],
      ]);
      const codecs = await q(`SELECT DISTINCT compression FROM parquet_metadata(${file})`);
      expect(codecs.map((r) => r.compression)).toEqual(["SNAPPY"]);
    } finally {
      db.close();
    }
  });

  test("an unknown suffix names the setting and the formats", async () => {
    await expect(writeRecords(table, join(dir, "t.xlsx"))).rejects.toThrow(
      /-o: use a file ending in \.csv, \.parquet, \.arrow \(got ".*t\.xlsx"\)/,
    );
  });
});
