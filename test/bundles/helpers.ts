/** Temp roots and small csvdir folders for bundle tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
