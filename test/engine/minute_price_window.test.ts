/**
 * A minute `price` window's leading gaps are filled as zipline fills them: with the last price
 * before the window's first minute (earlier the same session, or the session before), adjusted
 * as of today — not with the previous session's close when the asset traded since.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { csvdir_equities, ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

let root: string;
const cal = get_calendar("XNYS");
// 8 and 9 July 2024 (390 minutes each); a 2:1 split on the 9th.
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 8), Date.UTC(2024, 6, 9)));
// Even thousandths: halved, still whole thousandths.
const px = (s: number, k: number) => 100 + 10 * s + (2 * k) / 1000;
/** No bar in the 8th's last 5 minutes, the 9th's first 5, or the 9th's minutes 10…19. */
const gap = (s: number, k: number) =>
  (s === 0 && k >= 385) || (s === 1 && (k < 5 || (k >= 10 && k < 20)));

beforeAll(async () => {
  root = tempRoot();
  const lines = ["date,open,high,low,close,volume,dividend,split"];
  SESSIONS.forEach((s, si) =>
    cal.session_minutes(s).forEach((m, k) => {
      if (gap(si, k)) return;
      const t = new Date(m).toISOString().slice(0, 19).replace("T", " ");
      const split = si === 1 && k === 5 ? 2 : 1; // the day's first bar carries the split
      lines.push(`${t},${px(si, k)},${px(si, k)},${px(si, k)},${px(si, k)},100,0,${split}`);
    })
  );
  register(
    "minute-price-window",
    csvdir_equities({ csvdir: csvFolder({ "AAA.csv": lines.join("\n") + "\n" }, "minute") }),
    {
      calendar_name: "XNYS",
    },
  );
  await ingest("minute-price-window", { root });
});

describe("minute price windows", () => {
  test("leading gaps take the last price before the window, adjusted as of today", async () => {
    const seen: Record<number, number[]> = {};
    const at = new Map([[390 + 3, 6], [390 + 15, 3], [390 + 3 + 100, 2]]);
    await run_algorithm({
      start: "2024-07-08",
      end: "2024-07-09",
      bundle: "minute-price-window",
      data_frequency: "minute",
      root,
      no_benchmark: true,
      strategy: {
        initialize: async (c) => {
          c.a = await c.symbol("AAA");
          c.n = 0;
        },
        handle_data: async (c, data) => {
          const count = at.get(++c.n);
          if (count === undefined) return;
          seen[c.n] = [
            ...(await data.history(c.a, "price", count, "1m")).values,
            await data.current(c.a, "price"),
          ];
        },
      },
    });
    const half = (k: number) => px(0, k) / 2;
    // The 9th's 3rd minute (k = 2), 6 minutes: the 8th's 387…389 and the 9th's 0…2, all gaps;
    // filled from the 8th's minute 384 (the last before the window), halved by the split.
    expect(seen[393]).toEqual([...Array(6).fill(half(384)), half(384)]);
    // The 9th's minute 14, 3 minutes inside the 10…19 gap: the 9th's minute 9, not the 8th's close.
    expect(seen[405]).toEqual([px(1, 9), px(1, 9), px(1, 9), px(1, 9)]);
    // Bars again: nothing to fill.
    expect(seen[493]).toEqual([px(1, 101), px(1, 102), px(1, 102)]);
  });
});
