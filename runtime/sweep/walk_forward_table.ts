/**
 * A walk-forward analysis as tables: the stitched out-of-sample record (one row per session,
 * with its fold and the parameters chosen for it), the folds (windows, choice, in-sample and
 * out-of-sample objective, rank, deflated Sharpe ratio), and the console summary.
 *
 * @module
 */
import { extname } from "node:path";
import { recordsCsv, type RecordTable, writeRecords } from "./records.ts";
import { alignedTable, formatMetric } from "./text.ts";
import type { WalkForwardOutcome } from "./walk_forward.ts";

/**
 * The stitched out-of-sample record: `date`, `fold`, the chosen parameters, `returns`,
 * `portfolio_value` (the capital base compounded) and `algorithm_period_return`.
 *
 * @example
 * ```ts
 * stitchedTable(wf).rows[0]; // { date: "2008-01-02", fold: 0, short: "10", long: "50", … }
 * ```
 */
export function stitchedTable(wf: WalkForwardOutcome): RecordTable {
  const names = wf.axes.map((a) => a.name);
  const s = wf.stitched;
  return {
    columns: ["date", "fold", ...names, "returns", "portfolio_value", "algorithm_period_return"],
    text: ["date", ...names],
    rows: s.date.map((date, i) => ({
      date,
      fold: s.fold[i],
      ...Object.fromEntries(names.map((n) => [n, s.params[i][n]])),
      returns: s.returns[i],
      portfolio_value: s.portfolio_value[i],
      algorithm_period_return: s.algorithm_period_return[i],
    })),
  };
}

/**
 * One row per fold: its windows, the chosen parameters, the objective in and out of sample,
 * the choice's relative rank out of sample, and its deflated Sharpe ratio.
 */
export function foldsTable(wf: WalkForwardOutcome): RecordTable {
  const names = wf.axes.map((a) => a.name);
  const o = wf.objective;
  return {
    columns: [
      "fold",
      "train_start",
      "train_end",
      "test_start",
      "test_end",
      ...names,
      `is_${o}`,
      `oos_${o}`,
      "oos_rank",
      "deflated_sharpe",
      "trials",
    ],
    text: ["train_start", "train_end", "test_start", "test_end", ...names],
    rows: wf.folds.map((f) => ({
      fold: f.index,
      train_start: f.train_start,
      train_end: f.train_end,
      test_start: f.test_start,
      test_end: f.test_end,
      ...Object.fromEntries(names.map((n) => [n, f.chosen?.[n]])),
      [`is_${o}`]: f.is_value,
      [`oos_${o}`]: f.oos_value,
      oos_rank: f.oos_rank,
      deflated_sharpe: f.dsr.dsr,
      trials: f.dsr.trials,
    })),
  };
}

/** The stitched record as CSV. */
export function stitchedCsv(wf: WalkForwardOutcome): string {
  return recordsCsv(stitchedTable(wf));
}

/**
 * Writes the stitched record to `out` and the folds table beside it (`<name>_folds<suffix>`);
 * returns the files written.
 */
export async function writeStitched(wf: WalkForwardOutcome, out: string): Promise<string[]> {
  const ext = extname(out);
  const folds = `${out.slice(0, out.length - ext.length)}_folds${ext}`;
  await writeRecords(stitchedTable(wf), out);
  await writeRecords(foldsTable(wf), folds);
  return [out, folds];
}

const fmt = (x: unknown, digits = 2) =>
  typeof x === "number"
    ? (Number.isNaN(x) ? "–" : x.toFixed(digits))
    : x === undefined
    ? "–"
    : String(x);

/** The folds and the in-sample vs out-of-sample summary, for the console. */
export function walkForwardText(wf: WalkForwardOutcome): string {
  const t = foldsTable(wf);
  const digits: Record<string, number> = { fold: 0, trials: 0, oos_rank: 3, deflated_sharpe: 3 };
  const body = t.rows.map((r) => t.columns.map((c) => fmt(r[c], digits[c] ?? 2)));
  const o = wf.objective;
  const last = wf.stitched.portfolio_value.length - 1;
  const lines = [
    alignedTable(t.columns, body),
    `in sample: mean ${o} of the choices ${
      fmt(wf.is_mean)
    }; out of sample (stitched, ${wf.stitched.date.length} sessions): ${o} ${
      fmt(wf.oos_value)
    }, final portfolio_value ${
      last >= 0 ? formatMetric("portfolio_value", wf.stitched.portfolio_value[last]) : "–"
    }`,
    `probability of backtest overfitting (CSCV over ${wf.overfitting.blocks} folds, ${wf.overfitting.trials} combinations): ${
      fmt(wf.overfitting.pbo, 3)
    }`,
    "",
  ];
  return lines.join("\n");
}
