/** Temp roots and small csvdir folders for bundle tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { get_calendar } from "../../calendars/mod.ts";

export function tempRoot(prefix = "hv-root-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (name → content) into `<dir>/daily` (or another sub-folder) and returns `dir`. */
export function csvFolder(files: Record<string, string | Uint8Array>, sub = "daily"): string {
  const dir = mkdtempSync(join(tmpdir(), "hv-csv-"));
  mkdirSync(join(dir, sub), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const path = name.includes("/") ? join(dir, name) : join(dir, sub, name);
    writeFileSync(path, content);
  }
  return dir;
}

export const HEADER = "date,open,high,low,close,volume,dividend,split";

/** A valid daily file over the first NYSE sessions of July 2024. */
export function goodCsv(): string {
  return [
    HEADER,
    "2024-07-01,10,11,9,10.5,1000,0.0,1.0",
    "2024-07-02,10.5,11,10,10.8,1200,0.0,1.0",
    "2024-07-03,10.8,11.2,10.6,11,900,0.1,1.0",
    "2024-07-05,11,11.5,10.9,11.4,1500,0.0,2.0",
  ].join("\n") + "\n";
}

/** A deterministic generator, so a failure can be rerun. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const stamp = (m: number) => new Date(m).toISOString().slice(0, 19).replace("T", " ");

/**
 * csvdir minute files for `n` assets over `sessions`: asset `j` has a bar at minute `m` with
 * probability 0.7 (asset `n - 1` has none after the first session); close = a value naming the
 * cell. Returns the folder and the bars written, by asset and minute.
 */
export function minuteFiles(calendar: string, sessions: Float64Array, n: number, seed: number) {
  const cal = get_calendar(calendar), rand = rng(seed);
  const bars = new Map<string, number[]>();
  const files: Record<string, string> = {};
  for (let j = 0; j < n; j++) {
    const lines = ["date,open,high,low,close,volume"];
    sessions.forEach((s, si) => {
      if (j === n - 1 && si > 0) return;
      for (const m of cal.session_minutes(s)) {
        if (rand() > 0.7) continue;
        const close = 100 * (j + 1) + (m / 60_000) % 10_000 / 100;
        const bar = [close - 1, close + 1, close - 2, close, Math.floor(rand() * 1000)];
        bars.set(`${j}:${m}`, bar);
        lines.push(`${stamp(m)},${bar.join(",")}`);
      }
    });
    files[`S${j}.csv`] = lines.join("\n") + "\n";
  }
  return { dir: csvFolder(files, "minute"), bars };
}
