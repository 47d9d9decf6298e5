/**
 * Minute bars are copied into the arrays behind history views only when a window of them is
 * asked for (per field and asset). Whatever the pattern of reads, every window, current value
 * and today's daily bar equals the data, nothing later than the current minute is behind a view,
 * and windows reach back across sessions and across the chunks the bundle is read in (one
 * session first, then 21 at most per chunk, fewer with more assets: here 23 sessions make three).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { csvdir_equities, ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm, type RunOptions } from "../../runtime/engine/run_algorithm.ts";
import type { Series } from "../../runtime/frames/series.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

let root: string;
const cal = get_calendar("XNYS");
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 7, 30)))
  .slice(0, 23);
const SYMS = ["AAA", "BBB", "CCC"];
/** Each bar's close names its asset, session and minute. */
const px = (sym: number, s: number, k: number) => 100 * (sym + 1) + s + k / 1000;
const vol = (sym: number, k: number) => 1000 + 10 * sym + k;
/** CCC has no bar at these minutes (its price carries the last close forward). */
const gap = (sym: number, k: number) => sym === 2 && k % 5 === 3;

beforeAll(async () => {
  root = tempRoot();
  const files: Record<string, string> = {};
  SYMS.forEach((sym, j) => {
    const lines = ["date,open,high,low,close,volume"];
    SESSIONS.forEach((s, si) => {
      cal.session_minutes(s).forEach((m, k) => {
        if (gap(j, k)) return;
        const p = px(j, si, k), t = new Date(m).toISOString().slice(0, 19).replace("T", " ");
        lines.push(`${t},${p - 0.5},${p + 0.01},${p - 0.01},${p},${vol(j, k)}`);
      });
    });
    files[`${sym}.csv`] = lines.join("\n") + "\n";
  });
  register("minute-reveal", csvdir_equities({ csvdir: csvFolder(files, "minute") }), {
    calendar_name: "XNYS",
  });
  await ingest("minute-reveal", { root });
});

/** A minute backtest over all 23 sessions (three chunks). */
const run = (opts: Pick<RunOptions, "strategy" | "history_before_data">) =>
  run_algorithm({
    start: "2024-07-01",
    end: new Date(SESSIONS[22]).toISOString().slice(0, 10),
    bundle: "minute-reveal",
    data_frequency: "minute",
    root,
    no_benchmark: true,
    ...opts,
  });

/** What a window's buffer holds right after the window (NaN or 0 when nothing later is there). */
function ahead(s: Series): number {
  const v = s.values, buf = new Float64Array(v.buffer);
  const at = v.byteOffset / 8 + v.length;
  return at < buf.length ? buf[at] : NaN;
}

describe("minute bars revealed on demand", () => {
  test("sparse reads of some fields and assets see every bar up to the minute, and no later", async () => {
    const bad: unknown[] = [];
    let windows = 0, spans = 0;
    const at = new Map<number, [number, number]>();
    SESSIONS.forEach((x, s) => cal.session_minutes(x).forEach((m, k) => at.set(m, [s, k])));
    /** The expected close of `sym` `back` minutes before minute k of session s. */
    const closeBack = (sym: number, s: number, k: number, back: number) => {
      while (k - back < 0) {
        back -= k + 1;
        s -= 1;
        k = cal.session_minutes(SESSIONS[s]).length - 1;
      }
      return px(sym, s, k - back);
    };
    await run({
      history_before_data: "nan",
      strategy: {
        initialize: async (c) => {
          c.assets = await Promise.all(SYMS.map((s) => c.symbol(s)));
          c.n = 0;
        },
        handle_data: async (c, data) => {
          const [a, b, cc] = c.assets, n = ++c.n, dt = data.current_dt.getTime();
          const [s, k] = at.get(dt)!;
          // CCC: never a window, only current values (its bars are read where they are), its
          // price every third minute (the last close is then looked for over several minutes).
          const open = await data.current(cc, "open");
          if (!Object.is(open, gap(2, k) ? NaN : px(2, s, k) - 0.5)) bad.push({ dt, open });
          if (n % 3 === 0) {
            const price = await data.current(cc, "price");
            if (price !== (gap(2, k) ? px(2, s, k - 1) : px(2, s, k))) bad.push({ dt, price });
          }
          // AAA's closes every 7th minute, 30 back (across sessions and the chunk boundary).
          if (n % 7 === 0 && n > 30) {
            const w = await data.history(a, "close", 30, "1m");
            const want = Array.from({ length: 30 }, (_, i) => closeBack(0, s, k, 29 - i));
            if (w.values.join() !== want.join() || !Number.isNaN(ahead(w))) {
              bad.push({ dt, window: Array.from(w.values), want, ahead: ahead(w) });
            }
            windows++;
            if (k < 29) spans++;
          }
          // BBB's volume every 13th minute, within the session; and today's volume so far.
          if (n % 13 === 0 && k >= 4) {
            const w = await data.history(b, "volume", 5, "1m");
            const want = [4, 3, 2, 1, 0].map((d) => vol(1, k - d));
            const today = (await data.history(b, "volume", 2, "1d")).values[1];
            let sum = 0;
            for (let j = 0; j <= k; j++) sum += vol(1, j);
            if (w.values.join() !== want.join() || ahead(w) !== 0 || today !== sum) {
              bad.push({ dt, volume: Array.from(w.values), want, today, sum });
            }
            windows++;
          }
        },
      },
    });
    expect(bad.slice(0, 3)).toEqual([]);
    expect(windows).toBeGreaterThan(1500);
    // Windows reaching into the previous session, the chunk boundary (session 21) among them.
    expect(spans).toBeGreaterThan(60);
  });

  test("a window across the chunk boundary equals the bars, read first on the new chunk", async () => {
    let seen: number[] = [];
    const [s, k] = [21, 10]; // the second chunk's first session, its 11th minute
    await run({
      strategy: {
        initialize: async (c) => {
          c.a = await c.symbol("AAA");
        },
        handle_data: async (c, data) => {
          if (data.current_dt.getTime() !== cal.session_minutes(SESSIONS[s])[k]) return;
          seen = Array.from((await data.history(c.a, "close", 50, "1m")).values);
        },
      },
    });
    const last = cal.session_minutes(SESSIONS[s - 1]).length - 1;
    const want = [
      ...Array.from({ length: 39 }, (_, i) => px(0, s - 1, last - 38 + i)),
      ...Array.from({ length: 11 }, (_, i) => px(0, s, i)),
    ];
    expect(seen).toEqual(want);
  });
});
