/**
 * Live against a baseline backtest of the same strategy (`--baseline perf.csv`): daily returns
 * and equity side by side (`live_drift.csv`) and a summary (`live_performance.json`) — how far the
 * live session has drifted from what the backtest promised.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { HarvesterError } from "../errors.ts";
import type { Results } from "../metrics/results.ts";

export interface BaselineRow {
  date: string;
  returns: number;
  portfolio_value: number;
}

/** The `date`, `returns` and `portfolio_value` columns of a backtest's perf CSV. */
export function readBaseline(path: string): Map<string, BaselineRow> {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const head = lines[0].split(",");
  const di = head.indexOf("date"),
    ri = head.indexOf("returns"),
    pi = head.indexOf("portfolio_value");
  if (di < 0 || ri < 0 || pi < 0) {
    throw new HarvesterError(
      `${path}:1: a baseline needs the date, returns and portfolio_value columns of a backtest's -o CSV`,
    );
  }
  const out = new Map<string, BaselineRow>();
  for (const l of lines.slice(1)) {
    const c = l.split(",");
    out.set(c[di], { date: c[di], returns: Number(c[ri]), portfolio_value: Number(c[pi]) });
  }
  return out;
}

/** Writes `live_drift.csv` and `live_performance.json` into `dir`; returns the summary. */
export function writeDrift(
  results: Results,
  baseline: Map<string, BaselineRow>,
  dir: string,
): Record<string, unknown> {
  const rows = [
    "date,live_return,baseline_return,return_diff,live_equity,baseline_equity,equity_diff",
  ];
  const diffs: number[] = [];
  let live = 1, base = 1, matched = 0;
  for (let i = 0; i < results.length; i++) {
    const date = isoDate(results.sessions[i] / DAY_MS);
    const b = baseline.get(date);
    const lr = results.perf.returns[i], le = results.perf.portfolio_value[i];
    live *= 1 + lr;
    if (!b) {
      rows.push(`${date},${lr},,,${le},,`);
      continue;
    }
    matched++;
    base *= 1 + b.returns;
    diffs.push(lr - b.returns);
    rows.push(
      `${date},${lr},${b.returns},${lr - b.returns},${le},${b.portfolio_value},${
        le - b.portfolio_value
      }`,
    );
  }
  writeFileSync(join(dir, "live_drift.csv"), rows.join("\n") + "\n");
  const mean = diffs.reduce((a, b) => a + b, 0) / (diffs.length || 1);
  const te =
    Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / Math.max(1, diffs.length - 1)) *
    Math.sqrt(252);
  const summary = {
    sessions: results.length,
    matched_sessions: matched,
    live_total_return: live - 1,
    baseline_total_return: base - 1,
    return_gap: live - base,
    tracking_error_annualised: Number.isFinite(te) ? te : null,
    max_abs_daily_diff: diffs.length ? Math.max(...diffs.map(Math.abs)) : null,
  };
  writeFileSync(join(dir, "live_performance.json"), JSON.stringify(summary, null, 2));
  return summary;
}
