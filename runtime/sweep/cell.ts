/**
 * A cell: one backtest of a sweep (a strategy, one combination of parameters, a window and the
 * backtest flags), its cache key, and what it produces. A cell's result depends only on what its
 * key covers: the strategy source's hash, the parameters, the window, the bundle version and the
 * flags, so finished cells can be cached, shipped to other machines and compared.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Params } from "./grid.ts";

/**
 * Bumped when a cell's result would change for the same key (what a cell records, or how the
 * engine computes it in a way the cache must not hide).
 */
export const CELL_FORMAT = 1;

/** The benchmark of a cell: the backtest's `--benchmark-*` choice, with a file's content. */
export type BenchmarkFlag =
  | { kind: "default" }
  | { kind: "none" }
  | { kind: "symbol"; symbol: string }
  | { kind: "file"; name: string; csv: string };

/** Every backtest flag a cell honours (what `harvester backtest` takes besides `-D`). */
export interface CellFlags {
  bundle: string;
  /** The bundle version's folder name (`2024-07-03T13;30;00.123000`): pinned by the sweep. */
  bundle_version: string;
  capital_base: number;
  data_frequency: "daily" | "minute";
  trading_calendar?: string;
  benchmark: BenchmarkFlag;
  same_bar_fills: boolean;
}

/** The strategy of a cell: where it is, and the hash of its source. */
export interface CellStrategy {
  path: string;
  /** sha256 of the source text, hex. */
  hash: string;
}

/** One cell: everything a process needs to run it. */
export interface CellSpec {
  strategy: CellStrategy;
  params: Params;
  /** First and last session, `YYYY-MM-DD`. */
  start: string;
  end: string;
  flags: CellFlags;
}

/** The end-of-run numbers of one cell (zipline's last perf row, and a few whole-run figures). */
export interface CellMetrics {
  portfolio_value: number;
  algorithm_period_return: number;
  /** Compound annual growth rate (empyrical's `annual_return`). */
  annual_return: number;
  sharpe: number;
  sortino: number;
  max_drawdown: number;
  /** zipline's `algo_volatility` of the last session: annualised volatility of the run. */
  annual_volatility: number;
  /** Number of fills. */
  transactions: number;
}

/** What a finished cell leaves: its metrics, its daily series (for curves and stitching), time. */
export interface CellResult {
  key: string;
  params: Params;
  metrics: CellMetrics;
  /** Wall time of the backtest in the process that ran it, milliseconds. */
  wall_ms: number;
  /** Session dates (`YYYY-MM-DD`), daily returns and portfolio value. */
  sessions: string[];
  returns: number[];
  portfolio_value: number[];
}

/** The metric columns of a sweep's table, in order. */
export const METRIC_COLUMNS: readonly (keyof CellMetrics)[] = [
  "portfolio_value",
  "algorithm_period_return",
  "annual_return",
  "sharpe",
  "sortino",
  "max_drawdown",
  "annual_volatility",
  "transactions",
];

/** JSON with object keys sorted at every level: one text per value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of a text, hex. */
export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The cache key of a cell: a hash of the strategy's hash, the parameters, the window and the
 * flags (the strategy's path is not part of it: the same source anywhere is the same cell).
 *
 * @example
 * ```ts
 * cellKey(spec); // "3f2a…" (64 hex digits)
 * ```
 */
export function cellKey(spec: CellSpec): string {
  return sha256(canonicalJson({
    format: CELL_FORMAT,
    strategy: spec.strategy.hash,
    params: spec.params,
    start: spec.start,
    end: spec.end,
    flags: spec.flags,
  }));
}

/** JSON text of a result, NaN and ±Infinity as null (JSON has neither). */
export function resultJson(result: CellResult): string {
  return JSON.stringify(
    result,
    (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
  );
}

/** A result read back from JSON: null numbers are NaN again. */
export function parseResult(text: string): CellResult {
  const r = JSON.parse(text) as CellResult;
  const num = (v: number | null) => (v === null ? NaN : v);
  for (const k of METRIC_COLUMNS) r.metrics[k] = num(r.metrics[k] as number | null);
  r.returns = r.returns.map(num);
  r.portfolio_value = r.portfolio_value.map(num);
  return r;
}
