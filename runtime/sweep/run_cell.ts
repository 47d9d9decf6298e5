/**
 * Runs one cell in this process: checks the strategy is the source the sweep hashed and the
 * bundle version is here, runs the ordinary backtest (`run_algorithm`) with the cell's
 * parameters and flags, and keeps what the sweep's table, reports and walk-forward need.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { listVersions, loadExtension } from "../../bundles/mod.ts";
import { run_algorithm } from "../engine/run_algorithm.ts";
import { asStrategy, type Strategy } from "../engine/strategy.ts";
import { cagr } from "../metrics/empyrical.ts";
import type { Results } from "../metrics/results.ts";
import { cellKey, type CellMetrics, type CellResult, type CellSpec, sha256 } from "./cell.ts";
import { BundleVersionMissingError, StrategyChangedError } from "./errors.ts";

/** The metrics of a finished backtest, as a sweep's table shows them. */
export function cellMetrics(results: Results): CellMetrics {
  const last = results.length - 1;
  const at = (v: Float64Array) => (last >= 0 ? v[last] : NaN);
  const p = results.perf;
  return {
    portfolio_value: at(p.portfolio_value),
    algorithm_period_return: at(p.algorithm_period_return),
    annual_return: cagr(p.returns),
    sharpe: at(p.sharpe),
    sortino: at(p.sortino),
    max_drawdown: at(p.max_drawdown),
    annual_volatility: at(p.algo_volatility),
    transactions: results.transactionCount,
  };
}

/** A cell's result from its backtest. */
export function cellResult(spec: CellSpec, results: Results, wallMs: number): CellResult {
  return {
    key: cellKey(spec),
    params: spec.params,
    metrics: cellMetrics(results),
    wall_ms: wallMs,
    sessions: Array.from(results.sessions, (s) => isoDate(s / DAY_MS)),
    returns: Array.from(results.perf.returns),
    portfolio_value: Array.from(results.perf.portfolio_value),
  };
}

/** Where a cell runs: the root holding bundles, and the environment. */
export interface CellEnvironment {
  root: string;
  environ: Record<string, string | undefined>;
}

/** The ingestion time of the pinned version, or an error saying what this machine has. */
function pinnedVersion(spec: CellSpec, root: string): number {
  const { bundle, bundle_version } = spec.flags;
  const versions = listVersions(root, bundle);
  const v = versions.find((x) => x.name === bundle_version);
  if (!v) {
    throw new BundleVersionMissingError(
      bundle,
      bundle_version,
      root,
      versions.map((x) => x.name),
    );
  }
  return v.time;
}

/**
 * Imports the cell's strategy file after checking it is the source the sweep hashed; `fresh`
 * (a URL query) makes it a new module instance, so no state of an earlier cell's run remains.
 */
export async function loadCellStrategy(spec: CellSpec, fresh?: string): Promise<Strategy> {
  const full = resolve(spec.strategy.path);
  const found = sha256(readFileSync(full));
  if (found !== spec.strategy.hash) {
    throw new StrategyChangedError(spec.strategy.path, spec.strategy.hash, found);
  }
  const url = pathToFileURL(full).href + (fresh ? `?${fresh}` : "");
  return asStrategy(await import(url), spec.strategy.path);
}

/**
 * Runs one cell here (a worker process calls this; so does a notebook's in-process sweep with
 * `strategy` given as functions).
 *
 * @example
 * ```ts
 * const result = await runCell(spec, { root, environ: Deno.env.toObject() });
 * ```
 */
export async function runCell(
  spec: CellSpec,
  env: CellEnvironment,
  strategy?: Strategy,
  fresh?: string,
): Promise<CellResult> {
  await loadExtension(env.root);
  const timestamp = pinnedVersion(spec, env.root);
  const algo = strategy ?? await loadCellStrategy(spec, fresh);
  const { flags } = spec;
  let tmp: string | undefined;
  let benchmarkFile: string | undefined;
  if (flags.benchmark.kind === "file") {
    // The file's content travels with the cell (a worker elsewhere has no copy of it).
    tmp = mkdtempSync(join(tmpdir(), "hv-cell-"));
    benchmarkFile = join(tmp, flags.benchmark.name);
    writeFileSync(benchmarkFile, flags.benchmark.csv);
  }
  try {
    const t0 = performance.now();
    const results = await run_algorithm({
      strategy: algo,
      start: spec.start,
      end: spec.end,
      capital_base: flags.capital_base,
      data_frequency: flags.data_frequency,
      bundle: flags.bundle,
      bundle_timestamp: timestamp,
      trading_calendar: flags.trading_calendar,
      benchmark_symbol: flags.benchmark.kind === "symbol" ? flags.benchmark.symbol : undefined,
      benchmark_file: benchmarkFile,
      no_benchmark: flags.benchmark.kind === "none",
      same_bar_fills: flags.same_bar_fills,
      params: { ...spec.params },
      root: env.root,
      environ: env.environ,
    });
    return cellResult(spec, results, performance.now() - t0);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
