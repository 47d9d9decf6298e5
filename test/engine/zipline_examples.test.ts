/**
 * zipline's example algorithms, run with examples.json's parameters on the shipped bundle, match
 * zipline's expected results day by day on every column zipline's own test compares, and on
 * positions, orders and transactions.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Results } from "../../runtime/engine/results.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";
import {
  FIXTURES,
  orderMismatches,
  perfMismatches,
  positionMismatches,
  readCsv,
  transactionMismatches,
} from "./conformance_helpers.ts";

const examples = JSON.parse(readFileSync(FIXTURES + "examples.json", "utf8")).examples;
const benchmark_file = `${ZIPLINE_EXAMPLES_DIR}/SPY_benchmark.csv`;
let root: string;

beforeAll(() => {
  root = tempRoot();
});

async function run(name: string): Promise<Results> {
  const strategy = await import(
    fileURLToPath(new URL(`../../strategies/${name}.ts`, import.meta.url))
  ) as Strategy;
  const e = examples[name];
  return run_algorithm({
    strategy,
    start: e.start,
    end: e.end,
    capital_base: e.capital_base,
    root,
    benchmark_file,
  });
}

const RECORDED: Record<string, string[]> = {
  buyapple: ["AAPL"],
  buy_and_hold: [],
  dual_moving_average: ["AAPL", "short_mavg", "long_mavg"],
};

describe("zipline example conformance", () => {
  test("buyapple through the DuckDB reader (no binary cache) gives the same results", async () => {
    const { ingest } = await import("../../bundles/mod.ts");
    const own = tempRoot();
    await ingest("zipline-examples", { root: own, environ: {} });
    const strategy = await import(
      fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url))
    ) as Strategy;
    const e = examples.buyapple;
    const r = await run_algorithm({
      strategy,
      start: e.start,
      end: e.end,
      capital_base: e.capital_base,
      root: own,
      benchmark_file,
    });
    expect(perfMismatches(r, readCsv("buyapple.csv"), ["AAPL"]).slice(0, 5)).toEqual([]);
  });
  for (const name of ["buyapple", "buy_and_hold", "dual_moving_average"]) {
    test(name, async () => {
      const r = await run(name);
      const perf = perfMismatches(r, readCsv(`${name}.csv`), RECORDED[name]);
      expect(perf.slice(0, 15), `${perf.length} perf mismatches`).toEqual([]);
      const pos = positionMismatches(r, readCsv(`${name}_positions.csv`));
      expect(pos.slice(0, 10), `${pos.length} position mismatches`).toEqual([]);
      const ord = orderMismatches(r, readCsv(`${name}_orders.csv`));
      expect(ord.slice(0, 10), `${ord.length} order mismatches`).toEqual([]);
      const txn = transactionMismatches(r, readCsv(`${name}_transactions.csv`));
      expect(txn.slice(0, 10), `${txn.length} transaction mismatches`).toEqual([]);
    });
  }
});
