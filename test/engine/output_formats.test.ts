/**
 * The output writers: the column CSV encoder cell by cell (what pandas' `read_csv` reads back),
 * and a run written as CSV, Arrow and Parquet — all four tables in each format, typed, with the
 * same values in every format.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { order, record, symbol } from "../../runtime/api/mod.ts";
import { writeResults } from "../../runtime/engine/output.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { csvString } from "../../runtime/metrics/tables/csv.ts";
import type { Table } from "../../runtime/metrics/tables/table.ts";
import { openDb, sqlString } from "../../bundles/store/duckdb.ts";
import { tempRoot } from "../bundles/helpers.ts";

const DAY = 86_400_000;
const t0 = Date.UTC(2014, 0, 9);

const sample: Table = {
  length: 3,
  columns: [
    { name: "date", kind: "day", values: [t0, t0, t0 + DAY] },
    { name: "dt", kind: "instant", values: [t0 + 75_600_000, t0 + 75_600_123, NaN] },
    { name: "count", kind: "int", values: new Float64Array([0, 12_345, -7]) },
    { name: "py", kind: "float", style: "python", values: [3, 0.1, NaN] },
    { name: "js", kind: "float", style: "plain", values: [3, -2.5, NaN] },
    { name: "flag", kind: "bool", values: [1, 0, true] },
    { name: "text", kind: "text", values: ['a,"b"', null, "Zürich\nline"] },
    { name: "rec", kind: "cells", values: [1, "x", undefined] },
  ],
};

describe("the CSV encoder", () => {
  test("writes each kind of cell as pandas writes it", () => {
    expect(csvString(sample)).toBe(
      "date,dt,count,py,js,flag,text,rec\n" +
        '2014-01-09,2014-01-09T21:00:00Z,0,3.0,3,True,"a,""b""",1.0\n' +
        "2014-01-09,2014-01-09T21:00:00.123Z,12345,0.1,-2.5,False,,x\n" +
        '2014-01-10,,-7,,,True,"Zürich\nline",\n',
    );
  });

  test("pandas reads the values back", () => {
    const dir = mkdtempSync(join(tempRoot(), "csv-"));
    writeFileSync(join(dir, "t.csv"), csvString(sample));
    const script = `import pandas as pd, json, sys
t = pd.read_csv(sys.argv[1])
print(json.dumps({"text": [None if pd.isna(x) else x for x in t["text"]],
  "py": [None if pd.isna(x) else x for x in t["py"]], "flag": [bool(x) for x in t["flag"]],
  "count": [int(x) for x in t["count"]]}))`;
    const out = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, join(dir, "t.csv")], {
      encoding: "utf8",
    }));
    expect(out).toEqual({
      text: ['a,"b"', null, "Zürich\nline"],
      py: [3, 0.1, null],
      flag: [true, false, true],
      count: [0, 12345, -7],
    });
  });
});

describe("a run written as CSV, Arrow and Parquet", () => {
  let results: Results, dir: string;
  const TABLES = ["", "_positions", "_orders", "_transactions"];

  beforeAll(async () => {
    const root = tempRoot();
    dir = mkdtempSync(join(root, "out-"));
    results = await run_algorithm({
      strategy: {
        initialize: (c) => void (c.n = 0),
        handle_data: async (c, data) => {
          c.n++;
          const a = await symbol("AAPL");
          const p = (await data.current(a, "price")) as number;
          if (c.n % 3 === 0) await order(a, 10, { limit_price: p * 0.99 });
          if (c.n % 5 === 0) await order(a, -7, { stop_price: p * 1.01 });
          if (c.n % 7 === 0) await order(a, 3);
          record({ price: p, label: c.n % 2 ? 'a,"b"' : "plain", flag: c.n % 2 === 0 });
        },
      },
      start: "2013-01-02",
      end: "2013-06-28",
      root,
      no_benchmark: true,
    });
    for (const ext of ["csv", "arrow", "parquet"]) {
      const written = await writeResults(results, join(dir, `r.${ext}`), () => {});
      expect(written).toEqual(TABLES.map((t) => join(dir, `r${t}.${ext}`)));
    }
  }, 120_000);

  test("every table in every format", () => {
    for (const ext of ["csv", "arrow", "parquet"]) {
      for (const t of TABLES) expect(existsSync(join(dir, `r${t}.${ext}`))).toBe(true);
    }
    const lines = (t: string) => readFileSync(join(dir, `r${t}.csv`), "utf8").trim().split("\n");
    expect(lines("").length - 1).toBe(results.length);
    expect(lines("_positions").length - 1).toBe(results.positions.length);
    expect(lines("_orders").length - 1).toBe(results.orders.length);
    expect(lines("_transactions").length - 1).toBe(results.transactions.length);
    expect(results.orders.some((o) => o.limit !== null)).toBe(true);
    expect(results.orders.some((o) => o.stop !== null)).toBe(true);
  });

  test("Arrow keeps the types and the values", async () => {
    const arrow = await import("apache-arrow");
    const read = (t: string) => arrow.tableFromIPC(readFileSync(join(dir, `r${t}.arrow`)));
    const perf = read("");
    const type = (t: typeof perf, name: string) =>
      String(t.schema.fields.find((f) => f.name === name)?.type);
    expect(type(perf, "date")).toBe("Date32<DAY>");
    expect(type(perf, "period_close")).toBe("Timestamp<MILLISECOND, UTC>");
    expect(type(perf, "longs_count")).toBe("Int32");
    expect(type(perf, "returns")).toBe("Float64");
    expect(type(perf, "label")).toBe("Utf8");
    expect(type(perf, "flag")).toBe("Bool");
    expect(perf.numRows).toBe(results.length);
    expect(Array.from(perf.getChild("portfolio_value")!.toArray())).toEqual(
      Array.from(results.perf.portfolio_value),
    );
    // zipline's None (NaN) is an Arrow null
    expect(perf.getChild("algo_volatility")!.get(0)).toBeNull();
    const orders = read("_orders");
    expect(orders.numRows).toBe(results.orders.length);
    expect(type(orders, "limit_reached")).toBe("Bool");
    const limits = orders.getChild("limit")!.toArray() as Float64Array;
    results.orders.forEach((o, i) => {
      expect(orders.getChild("order_id")!.get(i)).toBe(o.order_id);
      expect(orders.getChild("dt")!.get(i)).toBe(o.dt);
      if (o.limit === null) expect(orders.getChild("limit")!.get(i)).toBeNull();
      else expect(limits[i]).toBe(o.limit);
    });
    const fills = read("_transactions");
    expect(Array.from(fills.getChild("price")!.toArray())).toEqual(
      results.transactions.map((t) => t.price),
    );
  });

  test("Parquet keeps the types and the values", async () => {
    const db = await openDb(":memory:");
    try {
      const q = async (sql: string) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson();
      const file = (t: string) => sqlString(join(dir, `r${t}.parquet`));
      const types = Object.fromEntries(
        (await q(`DESCRIBE SELECT * FROM ${file("")}`)).map((r) => [
          r.column_name,
          r.column_type,
        ]),
      );
      expect(types.date).toBe("DATE");
      expect(types.period_close).toBe("TIMESTAMP WITH TIME ZONE");
      expect(types.longs_count).toBe("BIGINT");
      expect(types.returns).toBe("DOUBLE");
      expect(types.flag).toBe("BOOLEAN");
      expect(types.label).toBe("VARCHAR");
      const perf = await q(`SELECT portfolio_value, label FROM ${file("")}`);
      expect(perf.map((r) => Number(r.portfolio_value))).toEqual(
        Array.from(results.perf.portfolio_value),
      );
      expect(perf[0].label).toBe('a,"b"');
      const orderTypes = await q(`DESCRIBE SELECT * FROM ${file("_orders")}`);
      expect(orderTypes.find((r) => r.column_name === "stop_reached")?.column_type).toBe(
        "BOOLEAN",
      );
      const orders = await q(
        `SELECT order_id, "limit", "stop", epoch_ms(dt) AS dt FROM ${file("_orders")}`,
      );
      expect(orders.map((r) => [r.order_id, r.limit, r.stop, Number(r.dt)])).toEqual(
        results.orders.map((o) => [o.order_id, o.limit, o.stop, o.dt]),
      );
      const fills = await q(`SELECT price FROM ${file("_transactions")}`);
      expect(fills.map((r) => r.price)).toEqual(results.transactions.map((t) => t.price));
      const held = await q(`SELECT count(*) AS n FROM ${file("_positions")}`);
      expect(Number(held[0].n)).toBe(results.positions.length);
      // Compressed as pyarrow writes by default; a dictionary only where a text column repeats;
      // min/max statistics on the time columns only.
      const chunks = await q(
        `SELECT path_in_schema AS col, compression, encodings, stats_min, stats_max ` +
          `FROM parquet_metadata(${file("_orders")})`,
      );
      const chunk = (c: string) => chunks.find((r) => r.col === c)!;
      expect(new Set(chunks.map((r) => r.compression))).toEqual(new Set(["SNAPPY"]));
      expect(String(chunk("symbol").encodings)).toContain("DICTIONARY");
      expect(String(chunk("order_id").encodings)).not.toContain("DICTIONARY");
      expect(String(chunk("amount").encodings)).not.toContain("DICTIONARY");
      const created = results.orders.map((o) => o.created);
      expect(Date.parse(String(chunk("created").stats_min))).toBe(Math.min(...created));
      expect(Date.parse(String(chunk("created").stats_max))).toBe(Math.max(...created));
      expect(chunk("date").stats_max).not.toBeNull();
      expect(chunk("amount").stats_min).toBeNull();
      expect(chunk("symbol").stats_max).toBeNull();
    } finally {
      db.close();
    }
  });
});
