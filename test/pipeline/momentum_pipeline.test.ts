/**
 * zipline's momentum_pipeline example (RSI top/bottom 3 long-short through a pipeline), run with
 * examples.json's parameters on the shipped bundle, matches zipline's expected results day by day
 * on every column zipline's own test compares, the recorded universe size, and positions, orders
 * and transactions.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
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
} from "../engine/conformance_helpers.ts";

const examples = JSON.parse(readFileSync(FIXTURES + "examples.json", "utf8")).examples;
let root: string;

beforeAll(() => {
  root = tempRoot();
});

describe("momentum_pipeline conformance", () => {
  test("matches zipline's expected results", async () => {
    const strategy = await import(
      fileURLToPath(new URL("../../strategies/momentum_pipeline.ts", import.meta.url))
    ) as Strategy;
    const e = examples.momentum_pipeline;
    const r = await run_algorithm({
      strategy,
      start: e.start,
      end: e.end,
      capital_base: e.capital_base,
      root,
      benchmark_file: `${ZIPLINE_EXAMPLES_DIR}/SPY_benchmark.csv`,
    });
    const perf = perfMismatches(r, readCsv("momentum_pipeline.csv"), ["universe_size"]);
    expect(perf.slice(0, 15), `${perf.length} perf mismatches`).toEqual([]);
    const pos = positionMismatches(r, readCsv("momentum_pipeline_positions.csv"));
    expect(pos.slice(0, 10), `${pos.length} position mismatches`).toEqual([]);
    const ord = orderMismatches(r, readCsv("momentum_pipeline_orders.csv"));
    expect(ord.slice(0, 10), `${ord.length} order mismatches`).toEqual([]);
    const txn = transactionMismatches(r, readCsv("momentum_pipeline_transactions.csv"));
    expect(txn.slice(0, 10), `${txn.length} transaction mismatches`).toEqual([]);
  }, 60_000);
});
