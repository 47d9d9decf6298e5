/**
 * A cell's key covers exactly what its result depends on; the cache keeps results whole (NaN
 * included); a cell refuses a strategy file that changed and a bundle version its machine lacks.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { cellKey, type CellResult, type CellSpec, sha256 } from "../../runtime/sweep/cell.ts";
import { CellCache } from "../../runtime/sweep/cache.ts";
import { runCell } from "../../runtime/sweep/run_cell.ts";
import { tempRoot } from "../bundles/helpers.ts";

const spec: CellSpec = {
  strategy: { path: "/a/algo.ts", hash: "ab".repeat(32) },
  params: { short: "5", long: "20" },
  start: "2010-01-04",
  end: "2010-12-31",
  flags: {
    bundle: "zipline-examples",
    bundle_version: "2024-07-03T13;30;00.123000",
    capital_base: 1e7,
    data_frequency: "daily",
    benchmark: { kind: "none" },
    same_bar_fills: false,
  },
};

describe("cell keys", () => {
  test("the same cell, whatever the key order or the file's place; another for any change", () => {
    const same: CellSpec = {
      ...spec,
      strategy: { hash: spec.strategy.hash, path: "/elsewhere/copy.ts" },
      params: { long: "20", short: "5" },
    };
    expect(cellKey(same)).toBe(cellKey(spec));
    const changes: CellSpec[] = [
      { ...spec, strategy: { ...spec.strategy, hash: "cd".repeat(32) } },
      { ...spec, params: { short: "5", long: "21" } },
      { ...spec, end: "2010-12-30" },
      { ...spec, flags: { ...spec.flags, bundle_version: "2024-07-04T13;30;00.123000" } },
      { ...spec, flags: { ...spec.flags, same_bar_fills: true } },
      { ...spec, flags: { ...spec.flags, benchmark: { kind: "symbol", symbol: "SPY" } } },
    ];
    const keys = new Set([cellKey(spec), ...changes.map(cellKey)]);
    expect(keys.size).toBe(changes.length + 1);
  });
});

describe("the cell cache", () => {
  test("a result round-trips, NaN included; a missing or damaged entry is a miss", () => {
    const cache = new CellCache(join(tempRoot(), "cells"));
    const key = cellKey(spec);
    const result: CellResult = {
      key,
      params: spec.params,
      metrics: {
        portfolio_value: 1.5e7,
        algorithm_period_return: 0.5,
        annual_return: 0.49,
        sharpe: NaN,
        sortino: 1.25,
        max_drawdown: -0.1,
        annual_volatility: 0.2,
        transactions: 3,
      },
      wall_ms: 12.5,
      sessions: ["2010-01-04"],
      returns: [0.01],
      portfolio_value: [1.01e7],
    };
    expect(cache.get(key)).toBeUndefined();
    cache.put(result);
    const back = cache.get(key)!;
    expect(back.metrics.sharpe).toBeNaN();
    expect({ ...back, metrics: { ...back.metrics, sharpe: 0 } }).toEqual({
      ...result,
      metrics: { ...result.metrics, sharpe: 0 },
    });
    writeFileSync(join(cache.dir, key.slice(0, 2), `${key}.json`), "{ torn");
    expect(cache.get(key)).toBeUndefined();
  });
});

describe("a cell refuses", () => {
  test("a bundle version this machine lacks, naming what it has and what to do", async () => {
    const root = tempRoot();
    await expect(runCell(spec, { root, environ: {} })).rejects.toThrow(
      /bundle zipline-examples version 2024-07-03T13;30;00\.123000 is not under .*no version of it.*copy the folder/,
    );
  });

  test("a strategy file that changed since the sweep hashed it", async () => {
    const root = tempRoot();
    const { ingest } = await import("../../bundles/mod.ts");
    const version = await ingest("zipline-examples", { root });
    const file = join(root, "algo.ts");
    writeFileSync(file, "export function initialize() {}\n");
    const hash = sha256("export function initialize() {}\n");
    writeFileSync(file, "export function initialize() { /* edited */ }\n");
    const changed: CellSpec = {
      ...spec,
      strategy: { path: file, hash },
      flags: { ...spec.flags, bundle_version: version.name },
    };
    await expect(runCell(changed, { root, environ: {} })).rejects.toThrow(
      /algo\.ts changed while the sweep ran/,
    );
  });
});
