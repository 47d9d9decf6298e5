/**
 * EODCancel's warnings: zipline's three messages (`finance/blotter/simulation_blotter.py`,
 * `execute_daily_cancel_policy`): partially bought, partially sold, and not filled at all.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { eodCancelMessage } from "../../runtime/engine/session_close.ts";
import { EODCancel, symbol } from "../../runtime/api/mod.ts";
import type { Logger } from "../../runtime/log.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(() => {
  root = tempRoot();
});

describe("EODCancel's messages", () => {
  test("the three texts, with a sell's counts shown positive", () => {
    expect(eodCancelMessage(100, 40, "AAPL")).toBe(
      "Your order for 100 shares of AAPL has been partially filled. 40 shares were successfully purchased. 60 shares were not filled by the end of day and were canceled.",
    );
    expect(eodCancelMessage(-100, -40, "AAPL")).toBe(
      "Your order for -100 shares of AAPL has been partially filled. 40 shares were successfully sold. 60 shares were not filled by the end of day and were canceled.",
    );
    expect(eodCancelMessage(-100, 0, "AAPL")).toBe(
      "Your order for -100 shares of AAPL failed to fill by the end of day and was canceled.",
    );
  });

  test("a daily run warns each cancelled order with the message its fills call for", async () => {
    const warnings: string[] = [];
    const log: Logger = {
      info() {},
      warn(event, fields) {
        if (event === "order_cancelled") warnings.push(String(fields?.message));
      },
    };
    // Day 0: a buy far above the bar's volume (partly filled on day 1); day 1: a buy limited at
    // $1 (never fills), so the day-0 buy is the oldest of two and is cancelled; day 2: another
    // $1 buy (the day-1 one is cancelled unfilled); day 3: a sell far above the volume; day 4: a
    // sell limited at $1e6 — the day-2 buy is cancelled at day 3's end, the day-3 sell at day 4's.
    let day = 0;
    await run_algorithm({
      strategy: {
        initialize: async (c) => {
          c.asset = await symbol("AAPL");
          c.set_cancel_policy(new EODCancel());
        },
        handle_data: async (c) => {
          const a = c.asset;
          if (day === 0) await c.order(a, 100_000_000);
          if (day === 1 || day === 2) await c.order(a, 10, { limit_price: 1 });
          if (day === 3) await c.order(a, -100_000_000);
          if (day === 4) await c.order(a, -10, { limit_price: 1e6 });
          day++;
        },
      },
      start: "2014-01-02",
      end: "2014-01-10",
      root,
      no_benchmark: true,
      log,
    });
    expect(warnings.length).toBe(4);
    expect(warnings[0]).toMatch(
      /^Your order for 100000000 shares of AAPL has been partially filled\. \d+ shares were successfully purchased\. \d+ shares were not filled/,
    );
    expect(warnings[1]).toBe(
      "Your order for 10 shares of AAPL failed to fill by the end of day and was canceled.",
    );
    expect(warnings[2]).toBe(warnings[1]);
    expect(warnings[3]).toMatch(
      /^Your order for -100000000 shares of AAPL has been partially filled\. \d+ shares were successfully sold\. \d+ shares were not filled/,
    );
    const [, sold, left] = /(\d+) shares were successfully sold\. (\d+)/.exec(warnings[3])!;
    expect(Number(sold) + Number(left)).toBe(100_000_000);
  });
});
