/**
 * Benchmark returns for the simulation's sessions: from a `date,return` CSV, from an asset's
 * adjusted closes, or none (zeros, with one notice).
 */
import { readFileSync } from "node:fs";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import { HarvesterError } from "../errors.ts";
import type { DailyPortal } from "../portal/daily_portal.ts";

export class BenchmarkError extends HarvesterError {
  override name = "BenchmarkError";
}

/** Returns by session from a `date,return` CSV (dates as `YYYY-MM-DD…`, any time part ignored). */
export function readBenchmarkFile(path: string): Map<number, number> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new BenchmarkError(`cannot read benchmark file ${path}`);
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.trim().toLowerCase());
  const di = header.indexOf("date"), ri = header.indexOf("return");
  if (di < 0 || ri < 0) {
    throw new BenchmarkError(`${path}:1: expected a header with "date" and "return" columns`);
  }
  const out = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = lines[i].split(",");
    const day = Date.parse(`${cells[di].trim().slice(0, 10)}T00:00:00Z`);
    const r = Number(cells[ri]);
    if (!Number.isFinite(day)) {
      throw new BenchmarkError(`${path}:${i + 1}: column "date": "${cells[di]}" is not a date`);
    }
    if (!Number.isFinite(r)) {
      throw new BenchmarkError(`${path}:${i + 1}: column "return": "${cells[ri]}" is not a number`);
    }
    out.set(day, r);
  }
  return out;
}

/** Aligns returns to sessions; a session with none is an error naming it. */
export function alignBenchmark(
  returns: Map<number, number>,
  sessions: Float64Array,
  source: string,
): Float64Array {
  return Float64Array.from(sessions, (s) => {
    const r = returns.get(s);
    if (r === undefined) {
      throw new BenchmarkError(
        `benchmark ${source} has no return for ${
          isoDate(s / DAY_MS)
        }; use --no-benchmark to run without one`,
      );
    }
    return r;
  });
}

/**
 * Daily returns of an asset over `sessions`: close over the previous session's close, both
 * adjusted as of the later day (splits and dividends reinvested), from the portal's data.
 */
export function assetBenchmark(
  portal: DailyPortal,
  asset: Asset,
  sessions: Float64Array,
): Float64Array {
  const out = new Float64Array(sessions.length);
  const last = portal.sessionIndex(sessions[sessions.length - 1]);
  const saved = portal.current;
  portal.advanceTo(last);
  for (let i = 0; i < sessions.length; i++) {
    const t = portal.sessionIndex(sessions[i]);
    const w = portal.window(asset, "price", 2, t);
    out[i] = Number.isNaN(w[0]) || Number.isNaN(w[1]) ? 0 : w[1] / w[0] - 1;
  }
  // The portal only ever moves forward for the strategy: rewind what we revealed.
  portal.rewindTo(saved);
  return out;
}
