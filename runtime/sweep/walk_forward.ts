/**
 * Walk-forward analysis: in each fold the grid runs on the training part, the best combination by
 * the objective runs on the test part, and the test parts are stitched into one out-of-sample
 * record with the parameters chosen in each fold. Every combination also runs on every test part,
 * which gives the in-sample vs out-of-sample comparison: the rank out of sample of each fold's
 * choice, the deflated Sharpe ratio of each choice, and the probability of backtest overfitting
 * by CSCV with the folds' test parts as its blocks.
 *
 * @module
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import {
  cagr,
  cum_returns_final,
  max_drawdown,
  sharpe_ratio,
  sortino_ratio,
} from "../metrics/empyrical.ts";
import type { CellMetrics, CellSpec } from "./cell.ts";
import { SweepSettingsError } from "./errors.ts";
import { type Fold, parseWalkForward, splitFolds } from "./folds.ts";
import { type GridAxis, type Params, paramsLabel } from "./grid.ts";
import {
  cscv,
  deflated_sharpe_ratio,
  type DeflatedSharpe,
  type Overfitting,
  periodSharpe,
} from "./overfitting.ts";
import { planSweep, type SweepPlan } from "./plan.ts";
import { runSweepCells, type SweepOptions } from "./sweep.ts";
import type { SweepRow } from "./table.ts";

/** Objectives a fold's choice can be made by, each with its value on a return series. */
export const OBJECTIVES: Record<string, (returns: ArrayLike<number>) => number> = {
  sharpe: sharpe_ratio,
  sortino: sortino_ratio,
  annual_return: cagr,
  algorithm_period_return: cum_returns_final,
  portfolio_value: cum_returns_final,
  max_drawdown: max_drawdown,
};

/** Options of {@link runWalkForward}. */
export interface WalkForwardOptions extends SweepOptions {
  /** `TRAIN:TEST`, e.g. `2y:6m` or `500:125`. */
  walk_forward: string;
  /** @default "sharpe" */
  objective?: string;
}

/** One fold's outcome. */
export interface FoldOutcome {
  index: number;
  /** First and last session of each part, `YYYY-MM-DD`. */
  train_start: string;
  train_end: string;
  test_start: string;
  test_end: string;
  /** The combination chosen in sample (undefined when no training cell ran). */
  chosen?: Params;
  /** Its index in the grid's order (−1 when none). */
  chosen_index: number;
  /** The objective of the choice in sample and out of sample. */
  is_value: number;
  oos_value: number;
  /** The choice's relative rank out of sample among all combinations, in (0, 1); 1 = best. */
  oos_rank: number;
  /** The deflated Sharpe ratio of the in-sample choice among the grid's trials. */
  dsr: DeflatedSharpe;
  /** Every combination on the training part and on the test part, in grid order. */
  train: SweepRow[];
  test: SweepRow[];
}

/** The out-of-sample record: the chosen combination's test parts, one after another. */
export interface StitchedRecord {
  date: string[];
  fold: number[];
  params: Params[];
  returns: number[];
  /** Capital base compounded by the stitched returns. */
  portfolio_value: number[];
  algorithm_period_return: number[];
}

/** A finished walk-forward analysis. */
export interface WalkForwardOutcome {
  plan: SweepPlan;
  axes: GridAxis[];
  objective: string;
  folds: FoldOutcome[];
  stitched: StitchedRecord;
  /** Mean in-sample objective of the choices, and the objective of the stitched record. */
  is_mean: number;
  oos_value: number;
  /** The probability of backtest overfitting across the folds (CSCV, test parts as blocks). */
  overfitting: Overfitting;
  /** Cells in all, how many came from the cache, and the failed ones (label: error). */
  cells: number;
  cached: number;
  failed: string[];
}

const day = (ms: number) => isoDate(Math.floor(ms / DAY_MS));

function cellsOf(plan: SweepPlan, from: number, to: number): CellSpec[] {
  const start = day(plan.sessions[from]), end = day(plan.sessions[to - 1]);
  return plan.cells.map((c) => ({ ...c, start, end }));
}

/** The index of the best row by the objective (the first on ties); −1 if none ran. */
export function bestIndex(rows: readonly SweepRow[], objective: keyof CellMetrics): number {
  let best = -1;
  rows.forEach((r, i) => {
    const v = r[objective];
    if (!Number.isNaN(v) && (best < 0 || v > rows[best][objective])) best = i;
  });
  return best;
}

/** The relative rank of `rows[at]` by the objective: (rank, ties averaged) / (N + 1). */
function relativeRank(rows: readonly SweepRow[], at: number, objective: keyof CellMetrics): number {
  const v = rows[at][objective];
  if (Number.isNaN(v)) return NaN;
  let below = 0, equal = 0;
  for (const r of rows) {
    const x = r[objective];
    if (Number.isNaN(x) || x < v) below++;
    else if (x === v) equal++;
  }
  return (below + (equal + 1) / 2) / (rows.length + 1);
}

/** Stitches the chosen test parts. */
export function stitch(folds: readonly FoldOutcome[], capital: number): StitchedRecord {
  const out: StitchedRecord = {
    date: [],
    fold: [],
    params: [],
    returns: [],
    portfolio_value: [],
    algorithm_period_return: [],
  };
  let value = capital;
  for (const f of folds) {
    const result = f.chosen_index >= 0 ? f.test[f.chosen_index].result : undefined;
    if (!result || !f.chosen) continue;
    result.returns.forEach((r, i) => {
      value *= 1 + r;
      out.date.push(result.sessions[i]);
      out.fold.push(f.index);
      out.params.push(f.chosen!);
      out.returns.push(r);
      out.portfolio_value.push(value);
      out.algorithm_period_return.push(value / capital - 1);
    });
  }
  return out;
}

/**
 * Runs a walk-forward analysis.
 *
 * @example
 * ```ts
 * const wf = await runWalkForward({ strategy: "algo.ts", start: "2006-01-01", end: "2013-12-31",
 *   grid: parseGrid(["short=10,20", "long=50,100"]), walk_forward: "2y:6m", root, environ });
 * wf.stitched.portfolio_value.at(-1);
 * ```
 */
export async function runWalkForward(opts: WalkForwardOptions): Promise<WalkForwardOutcome> {
  const objective = opts.objective ?? "sharpe";
  if (!(objective in OBJECTIVES)) {
    throw new SweepSettingsError(
      `--objective: "${objective}" is not one of ${Object.keys(OBJECTIVES).join(", ")}`,
    );
  }
  const { train, test } = parseWalkForward(opts.walk_forward);
  const plan = await planSweep(opts);
  const folds: Fold[] = splitFolds(plan.sessions, train, test);
  if (folds.length === 0) {
    throw new SweepSettingsError(
      `--walk-forward ${opts.walk_forward}: ${opts.start} to ${opts.end} (${plan.sessions.length} sessions) is too short for one training part and a test part`,
    );
  }
  const n = plan.cells.length;
  const cells = folds.flatMap((f) => [...cellsOf(plan, ...f.train), ...cellsOf(plan, ...f.test)]);
  const rows = await runSweepCells(plan, cells, opts);
  const key = objective as keyof CellMetrics;
  const outcomes: FoldOutcome[] = folds.map((f, k) => {
    const trainRows = rows.slice(2 * k * n, (2 * k + 1) * n);
    const testRows = rows.slice((2 * k + 1) * n, (2 * k + 2) * n);
    const best = bestIndex(trainRows, key);
    const chosen = best >= 0 ? testRows[best] : undefined;
    const trialSharpes = trainRows.map((r) => (r.result ? periodSharpe(r.result.returns) : NaN));
    return {
      index: f.index,
      train_start: day(plan.sessions[f.train[0]]),
      train_end: day(plan.sessions[f.train[1] - 1]),
      test_start: day(plan.sessions[f.test[0]]),
      test_end: day(plan.sessions[f.test[1] - 1]),
      chosen: chosen?.params,
      chosen_index: best,
      is_value: best >= 0 ? trainRows[best][key] : NaN,
      oos_value: chosen ? chosen[key] : NaN,
      oos_rank: best >= 0 ? relativeRank(testRows, best, key) : NaN,
      dsr: deflated_sharpe_ratio(
        best >= 0 ? trainRows[best].result?.returns ?? [] : [],
        trialSharpes,
      ),
      train: trainRows,
      test: testRows,
    };
  });
  const stitched = stitch(outcomes, plan.flags.capital_base);
  const chosenIs = outcomes.map((f) => f.is_value).filter((v) => !Number.isNaN(v));
  const blocks = outcomes.map((f) => f.test.map((r) => r.result?.returns ?? []));
  return {
    plan,
    axes: opts.grid,
    objective,
    folds: outcomes,
    stitched,
    is_mean: chosenIs.reduce((a, b) => a + b, 0) / chosenIs.length,
    oos_value: OBJECTIVES[objective](stitched.returns),
    overfitting: cscv(blocks, OBJECTIVES[objective]),
    cells: rows.length,
    cached: rows.filter((r) => r.cached).length,
    failed: rows.flatMap((r, i) =>
      r.error === undefined
        ? []
        : [`${cells[i].start}–${cells[i].end} ${paramsLabel(r.params)}: ${r.error}`]
    ),
  };
}
