/** Synthetic benchmark data, generated once into `out/bench-data/` and reused. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
// @ts-types="./gen_csvdir.d.ts"
import { generate } from "./gen_csvdir.mjs";

export const BENCH_DATA = join(Deno.cwd(), "out", "bench-data");

/** The daily csvdir dataset `a{assets}_d{days}` of shared/bench (seed 42). */
export function dailyDataset(assets: number, days: number): string {
  const dir = join(BENCH_DATA, `a${assets}_d${days}`);
  if (!existsSync(join(dir, "daily", `SYM${String(assets - 1).padStart(4, "0")}.csv`))) {
    generate(dir, assets, days, 42);
  }
  return dir;
}

/**
 * A minute csvdir dataset for the 24/7 calendar: `assets` symbols × `days` × 1,440 minutes,
 * each minute labelled by its end (00:01 … 24:00), prices a deterministic random walk.
 */
export function minuteDataset(assets: number, days: number): string {
  const dir = join(BENCH_DATA, `minute_a${assets}_d${days}`);
  const minuteDir = join(dir, "minute");
  if (existsSync(join(minuteDir, `M${assets - 1}.csv`))) return dir;
  mkdirSync(minuteDir, { recursive: true });
  const start = Date.UTC(2020, 0, 1);
  for (let a = 0; a < assets; a++) {
    let seed = 12345 + a, price = 100;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const parts: string[] = ["date,open,high,low,close,volume\n"];
    for (let m = 1; m <= days * 1440; m++) {
      const open = price;
      price = Math.max(1, price * (1 + (rand() - 0.5) * 0.002));
      const hi = Math.max(open, price) * 1.0005, lo = Math.min(open, price) * 0.9995;
      const ts = new Date(start + m * 60_000).toISOString().slice(0, 19).replace("T", " ");
      parts.push(
        `${ts},${open.toFixed(4)},${hi.toFixed(4)},${lo.toFixed(4)},${price.toFixed(4)},${
          100 + (m % 900)
        }\n`,
      );
    }
    writeFileSync(join(minuteDir, `M${a}.csv`), parts.join(""));
  }
  return dir;
}

/**
 * A minute csvdir dataset on the XNYS calendar: `assets` symbols over `years` years from 2018,
 * every trading minute (labelled by its end), a deterministic random walk.
 */
export async function xnysMinuteDataset(assets: number, years: number): Promise<string> {
  const dir = join(BENCH_DATA, `xnys_minute_a${assets}_y${years}`);
  const minuteDir = join(dir, "minute");
  if (existsSync(join(minuteDir, `X${assets - 1}.csv`))) return dir;
  const { get_calendar } = await import("../calendars/registry.ts");
  const cal = get_calendar("XNYS");
  const sessions = cal.sessions_in_range(Date.UTC(2018, 0, 1), Date.UTC(2018 + years - 1, 11, 31));
  mkdirSync(minuteDir, { recursive: true });
  for (let a = 0; a < assets; a++) {
    let seed = 777 + a, price = 50 + a;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const parts: string[] = ["date,open,high,low,close,volume\n"];
    for (const s of sessions) {
      for (const m of cal.session_minutes(s)) {
        const open = price;
        price = Math.max(1, price * (1 + (rand() - 0.5) * 0.002));
        const hi = Math.max(open, price) * 1.0005, lo = Math.min(open, price) * 0.9995;
        const ts = new Date(m).toISOString().slice(0, 19).replace("T", " ");
        parts.push(
          `${ts},${open.toFixed(4)},${hi.toFixed(4)},${lo.toFixed(4)},${price.toFixed(4)},${
            1000 + (m / 60_000) % 9000
          }\n`,
        );
      }
    }
    writeFileSync(join(minuteDir, `X${a}.csv`), parts.join(""));
  }
  return dir;
}
