/**
 * User datasets from a CSV file or a DuckDB table: a row dated d is known from the next session
 * (or the same one with `known: "same_session"`), held until the asset's next row unless
 * `ffill: false`; assets by symbol or sid; a dataset without a loader is an error.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openDb } from "../../bundles/store/duckdb.ts";
import {
  Column,
  CSVLoader,
  DataSet,
  DuckDBLoader,
  NoLoaderForColumn,
  type PipelineLoader,
} from "../../runtime/pipeline/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { compute, makeAssets } from "./helpers.ts";

const N = NaN;
const assets = makeAssets(2);

function fundamentals(loader: PipelineLoader) {
  return DataSet.define("Fundamentals", {
    pe: Column("float64"),
    sector: Column("int64"),
  }, { loader });
}

function csv(): string {
  const path = join(tempRoot("hv-fund-"), "fundamentals.csv");
  writeFileSync(
    path,
    "date,symbol,pe,sector\n2014-01-02,A0,10,101\n2014-01-06,a0,12,101\n2014-01-03,A1,20,\n",
  );
  return path;
}

describe("CSVLoader", () => {
  test("rows are known the next session and carried forward", async () => {
    const F = fundamentals(new CSVLoader(csv()));
    const r = await compute(
      { pe: F.pe.latest, sector: F.sector.latest },
      "2014-01-02",
      "2014-01-07",
      assets,
    );
    // Sessions 01-02, 01-03, 01-06, 01-07.
    expect(r.pe).toEqual([[N, N], [10, N], [10, 20], [12, 20]]);
    expect(r.sector).toEqual([[-1, -1], [101, -1], [101, -1], [101, -1]]);
  });

  test("known the same session; without forward fill", async () => {
    const same = fundamentals(new CSVLoader(csv(), { known: "same_session" }));
    const once = fundamentals(new CSVLoader(csv(), { ffill: false }));
    const r = await compute(
      { same: same.pe.latest, once: once.pe.latest },
      "2014-01-02",
      "2014-01-07",
      assets,
    );
    expect(r.same).toEqual([[10, N], [10, 20], [12, 20], [12, 20]]);
    expect(r.once).toEqual([[N, N], [10, N], [N, 20], [12, N]]);
  });

  test("windows over a loaded column", async () => {
    const F = fundamentals(new CSVLoader(csv()));
    const { SimpleMovingAverage } = await import("../../runtime/pipeline/mod.ts");
    const r = await compute(
      { m: new SimpleMovingAverage({ inputs: [F.pe], window_length: 2 }) },
      "2014-01-07",
      "2014-01-07",
      assets,
    );
    expect(r.m).toEqual([[11, 20]]);
  });
});

describe("DuckDBLoader", () => {
  test("a table with sids and DATE values", async () => {
    const path = join(tempRoot("hv-fund-"), "fund.duckdb");
    const db = await openDb(path);
    await db.conn.run(
      "CREATE TABLE fund (date DATE, sid INTEGER, pe_ratio DOUBLE); " +
        "INSERT INTO fund VALUES ('2014-01-02', 0, 10), ('2014-01-06', 0, 12), ('2014-01-03', 1, 20)",
    );
    db.close();
    const F = fundamentals(
      new DuckDBLoader({ database: path, table: "fund" }, { columns: { pe: "pe_ratio" } }),
    );
    const r = await compute({ pe: F.pe.latest }, "2014-01-02", "2014-01-07", assets);
    expect(r.pe).toEqual([[N, N], [10, N], [10, 20], [12, 20]]);
    const Q = fundamentals(
      new DuckDBLoader({ database: path, query: "SELECT date, sid, pe_ratio * 2 AS pe FROM fund" }),
    );
    const q = await compute({ pe: Q.pe.latest }, "2014-01-07", "2014-01-07", assets);
    expect(q.pe).toEqual([[24, 40]]);
  });
});

test("a dataset without a loader is an error that says how to give one", async () => {
  const Bare = DataSet.define("Bare", { x: Column("float64") });
  await expect(compute({ x: Bare.x.latest }, "2014-01-02", "2014-01-02", assets)).rejects.toThrow(
    NoLoaderForColumn,
  );
});
