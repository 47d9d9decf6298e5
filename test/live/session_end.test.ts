/**
 * The end of a live trading day: the scheduled end-of-day flatten (`flatten_before_close`) in a
 * live minute session and in a replayed daily session, the kill switch's flatten that shares its
 * code, and a minute session's close — the algorithm's cancel policy and the auto-close of assets
 * past their auto-close date.
 *
 * Minute sessions run `runLive` against the paper venue fed in-process on a simulated clock
 * (fed_paper_session.ts): no network, no real waiting. DELL's last bundle day is 2013-10-29.
 */
import { replaySession } from "./perf_helpers.ts";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { csvdir_equities, ingest, register, ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import { EODCancel, NeverCancel } from "../../runtime/api/mod.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import type { CancelPolicy } from "../../runtime/finance/cancel_policy.ts";
import { type JournalEntry, readJournal } from "../../runtime/live/journal.ts";
import type { SessionState } from "../../runtime/live/session_state.ts";
import { readConfigFile, settingsFromEnv } from "../../runtime/config/live_config.ts";
import { EOD_FLATTEN_REASON, flattenMinutes } from "../../runtime/live/session_end.ts";
import { cancelsAtSessionEnd } from "../../runtime/engine/session_close.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";
import { minuteSession } from "./fed_paper_session.ts";

const t = (iso: string) => Date.parse(iso);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
let root: string;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  // AAPL whose metadata makes 2014-05-01 its last day (end_date = auto_close_date), so it still
  // trades on the day its auto-close date passes.
  const aapl = readFileSync(join(ZIPLINE_EXAMPLES_DIR, "daily", "AAPL.csv"), "utf8").split("\n")
    .filter((l, i) => i === 0 || (l && l.slice(0, 10) <= "2014-05-01")).join("\n") + "\n";
  const dir = csvFolder({
    "AAPL.csv": aapl,
    "./assets.csv":
      "sid,symbol,start_date,end_date,auto_close_date,first_traded,exchange,country_code\n" +
      "0,AAPL,2004-01-02,2014-05-01,2014-05-01,,NASDAQ,US\n",
  });
  register("session-end-acd", csvdir_equities({ csvdir: dir, tframes: ["daily"] }), {
    calendar_name: "XNYS",
  });
  await ingest("session-end-acd", { root, environ: {} });
});

const of = (j: JournalEntry[], type: string) => j.filter((e) => e.type === type);
const after = (j: JournalEntry[], e: JournalEntry) => j.slice(j.indexOf(e) + 1);

/** Buys `n` AAPL at every minute (or session), the exposure a flatten must take back. */
const buyer = (n = 10): Strategy => ({
  initialize: async (c) => {
    c.asset = await c.symbol("AAPL");
  },
  handle_data: async (c) => {
    await c.order(c.asset, n);
  },
});

describe("end-of-day flatten, live minute session", () => {
  test("flat after the flatten, journaled, new exposure refused until the next session", async () => {
    const { results, journal, saved } = await minuteSession(root, buyer(), {
      start: "2014-05-01T19:40:00Z",
      end: "2014-05-02T13:33:00Z",
      flatten_before_close: 5,
    });
    const flat = of(journal, "eod_flatten");
    expect(flat).toHaveLength(1); // the second session ends (13:33) long before its flatten time
    const f = flat[0];
    // 14 buys (19:41–19:54), each filled on the next minute: 140 held when 19:55 comes.
    expect(hhmm(f.at as number)).toBe("19:55");
    expect(f).toMatchObject({ session: "2014-05-01", cancelled: 0, trading_state: "REDUCING" });
    expect(f.closing).toEqual([
      { symbol: "AAPL", amount: -140, client_order_id: expect.any(String) },
    ]);
    // From the flatten to the close (19:55–20:00) every buy meets the reducing gate.
    const day1 = journal.slice(0, journal.findIndex((e) => e.type === "session_end") + 1);
    const denied = of(after(day1, f), "risk_denied");
    expect(denied.map((e) => e.reason)).toEqual(Array(6).fill("REDUCING"));
    // The closing order went out (before the eod_flatten line that lists it); nothing after.
    const sent = of(day1, "order_submitted");
    expect(sent.filter((e) => e.amount === 10)).toHaveLength(14);
    const closing = (f.closing as { client_order_id: string }[])[0].client_order_id;
    expect(sent.find((e) => e.client_order_id === closing)).toMatchObject({
      amount: -140,
      limit: null,
    });
    expect(of(after(day1, f), "order_submitted")).toEqual([]);
    const fills = of(day1, "fill").map((e) => e.amount as number);
    expect(fills.reduce((a, b) => a + b, 0)).toBe(0);
    expect(results.positions.filter((p) => p.date === t("2014-05-01T00:00:00Z"))).toEqual([]);
    // The next session: ACTIVE again, its orders go out.
    const resumed = of(journal, "trading_state");
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ from: "REDUCING", to: "ACTIVE" });
    expect(of(after(journal, resumed[0]), "order_submitted").map((e) => e.amount)).toEqual([
      10,
      10,
      10,
    ]);
    expect(of(after(journal, resumed[0]), "risk_denied")).toEqual([]);
    expect(saved.trading_state).toBe("ACTIVE");
  });

  test("the gate stays REDUCING in the saved state when the run ends after the flatten", async () => {
    const { saved, journal } = await minuteSession(root, buyer(), {
      start: "2014-05-01T19:50:00Z",
      end: "2014-05-01T20:00:00Z",
      flatten_before_close: 3,
    });
    expect(hhmm(of(journal, "eod_flatten")[0].at as number)).toBe("19:57");
    expect(saved.trading_state).toBe("REDUCING");
    expect(saved.trading_state_reason).toBe(EOD_FLATTEN_REASON);
    expect(saved.ledger.positions.filter((p) => p.amount !== 0)).toEqual([]);
  });

  test("flatten_before_close must be minutes ≥ 0", () => {
    expect(flattenMinutes({})).toBeNull();
    expect(flattenMinutes({ flatten_before_close: 0 })).toBe(0);
    expect(() => flattenMinutes({ flatten_before_close: -5 })).toThrow(/flatten_before_close/);
  });
});

/** One resting limit buy (far below the price) at the first minute, under `policy`. */
const restingLimit = (policy: CancelPolicy): Strategy => ({
  initialize: async (c) => {
    c.asset = await c.symbol("AAPL");
    c.set_cancel_policy(policy);
  },
  handle_data: async (c) => {
    if (c.placed) return;
    c.placed = true;
    await c.order(c.asset, 10, { limit_price: 500 });
  },
});

describe("minute session end: the cancel policy", () => {
  const day = { start: "2014-05-01T19:55:00Z", end: "2014-05-01T20:00:00Z" };

  test("EODCancel cancels a resting limit order at the close, through the manager", async () => {
    const { journal, saved, warnings, broker } = await minuteSession(
      root,
      restingLimit(new EODCancel()),
      day,
    );
    const coid = of(journal, "order_submitted")[0].client_order_id;
    const eod = of(journal, "eod_cancel");
    expect(eod).toHaveLength(1);
    expect(eod[0]).toMatchObject({ policy: "EODCancel", cancelled: [coid] });
    const moves = of(journal, "order_transition").filter((e) => e.client_order_id === coid);
    expect(moves.map((e) => e.to)).toEqual(["SUBMITTED", "WORKING", "PENDING_CANCEL", "CANCELED"]);
    expect(saved.orders.orders.find((o) => o.client_order_id === coid)?.state).toBe("CANCELED");
    expect(await broker.openOrders()).toEqual([]);
    // zipline's message for an order cancelled without a fill (simulation_blotter.py).
    expect(warnings).toContain(
      "Your order for 10 shares of AAPL failed to fill by the end of day and was canceled.",
    );
  });

  test("NeverCancel keeps it open, at the venue and in the manager", async () => {
    const { journal, saved, broker } = await minuteSession(
      root,
      restingLimit(new NeverCancel()),
      day,
    );
    const coid = of(journal, "order_submitted")[0].client_order_id;
    expect(of(journal, "eod_cancel")).toEqual([]);
    expect(saved.orders.orders.find((o) => o.client_order_id === coid)?.state).toBe("WORKING");
    expect((await broker.openOrders()).map((o) => o.client_order_id)).toEqual([coid]);
  });

  test("a run ending before the close is not the session's end: EODCancel keeps the order", async () => {
    const { journal, broker } = await minuteSession(root, restingLimit(new EODCancel()), {
      start: day.start,
      end: "2014-05-01T19:58:00Z",
    });
    expect(of(journal, "session_end")[0].complete).toBe(false);
    expect(of(journal, "eod_cancel")).toEqual([]);
    expect(await broker.openOrders()).toHaveLength(1);
  });

  test("a stopping session leaves open orders to cancel_on_stop", () => {
    const eod = new EODCancel();
    expect(cancelsAtSessionEnd(eod, { complete: true }, false)).toBe(true);
    expect(cancelsAtSessionEnd(eod, { complete: true }, true)).toBe(false);
    expect(cancelsAtSessionEnd(eod, { complete: false }, false)).toBe(false);
    expect(cancelsAtSessionEnd(new NeverCancel(), { complete: true }, false)).toBe(false);
  });
});

describe("minute session end: auto-close", () => {
  test("still tradable on its auto-close day: a closing market order through the manager", async () => {
    const { journal } = await minuteSession(
      root,
      {
        initialize: async (c) => {
          c.asset = await c.symbol("AAPL");
        },
        handle_data: async (c) => {
          if (c.bought) return;
          c.bought = true;
          await c.order(c.asset, 10);
        },
      },
      { start: "2014-05-01T19:50:00Z", end: "2014-05-01T20:00:00Z", bundle: "session-end-acd" },
    );
    const ac = of(journal, "auto_close");
    expect(ac).toHaveLength(1);
    expect(ac[0]).toMatchObject({ symbol: "AAPL", amount: 10, auto_close_date: "2014-05-01" });
    const sent = of(journal, "order_submitted").find((e) =>
      e.client_order_id === ac[0].client_order_id
    );
    expect(sent).toMatchObject({ symbol: "AAPL", amount: -10, limit: null });
    expect(of(journal, "auto_close_untradable")).toEqual([]);
  });

  test("delisted and no longer traded: no order, journaled and warned; its orders cancelled", async () => {
    const { journal, warnings } = await minuteSession(
      root,
      {
        initialize: async (c) => {
          c.dell = await c.symbol("DELL");
          c.aapl = await c.symbol("AAPL");
        },
        handle_data: async (c) => {
          if (c.bought) return;
          c.bought = true;
          await c.order(c.dell, 10);
          await c.order(c.dell, 5, { limit_price: 1 }); // rests (NeverCancel keeps it overnight)
        },
      },
      {
        start: "2013-10-29T19:50:00Z",
        end: "2013-10-30T20:00:00Z",
        universe: ["AAPL", "DELL"],
        // DELL's last day is 2013-10-29: the feed has no DELL bar afterwards.
        symbols: (m) => (m < t("2013-10-30T00:00:00Z") ? ["AAPL", "DELL"] : ["AAPL"]),
      },
    );
    const sends = of(journal, "order_submitted");
    expect(sends.map((e) => e.amount)).toEqual([10, 5]); // nothing sent to close DELL
    const u = of(journal, "auto_close_untradable");
    expect(u).toHaveLength(1);
    expect(u[0]).toMatchObject({
      session: "2013-10-30",
      symbol: "DELL",
      amount: 10,
      auto_close_date: "2013-10-30",
    });
    // The resting DELL order, kept overnight by NeverCancel, is cancelled at the auto-close.
    const limit = sends[1].client_order_id;
    const day2 = after(journal, of(journal, "session_open")[1]);
    const moves = of(day2, "order_transition").filter((e) => e.client_order_id === limit);
    expect(moves.map((e) => e.to)).toEqual(["PENDING_CANCEL", "CANCELED"]);
    expect(warnings.some((w) => /DELL is past its auto-close date/.test(w))).toBe(true);
  });
});

const dailySession = (dir: string, strategy: Strategy, end: string, extra = {}) =>
  replaySession(root, dir, strategy, end, extra);

describe("end-of-day flatten, daily replay", () => {
  test("after each session's bar: orders cancelled, the position closed, flat from the next bar", async () => {
    const dir = tempRoot("hv-live-eod-daily-");
    // Seven sessions without the flatten: 60 shares filled, 10 more on their way.
    await dailySession(dir, buyer(), "2014-01-10");
    const base = readJournal(join(dir, "j.jsonl")).length;
    const res = await dailySession(dir, buyer(), "2014-01-17", { flatten_before_close: 30 });
    const journal = readJournal(join(dir, "j.jsonl")).slice(base);
    const flat = of(journal, "eod_flatten");
    expect(flat.map((e) => e.session)).toEqual([
      "2014-01-13",
      "2014-01-14",
      "2014-01-15",
      "2014-01-16",
      "2014-01-17",
    ]);
    // The day's buy is cancelled each time; only the first flatten has a position to close.
    expect(flat.map((e) => e.cancelled)).toEqual([1, 1, 1, 1, 1]);
    expect(flat[0].closing).toEqual([
      { symbol: "AAPL", amount: -70, client_order_id: expect.any(String) },
    ]);
    expect(flat.slice(1).map((e) => e.closing)).toEqual([[], [], [], []]);
    expect(of(journal, "trading_state")).toHaveLength(4); // ACTIVE again at each next session
    const held = (d: string) =>
      res.positions.filter((p) => p.date === t(`${d}T00:00:00Z`) && p.amount !== 0);
    expect(held("2014-01-13").map((p) => p.amount)).toEqual([70]); // the close fills next bar
    expect(held("2014-01-14")).toEqual([]);
    expect(held("2014-01-17")).toEqual([]);
    const saved = JSON.parse(readFileSync(join(dir, "s.json"), "utf8")).state as SessionState;
    expect(saved.trading_state).toBe("REDUCING");
  });

  test("the kill switch's flatten (shared code): cancel, close, then HALTED", async () => {
    const dir = tempRoot("hv-live-kill-");
    await dailySession(dir, buyer(), "2014-01-10");
    const base = readJournal(join(dir, "j.jsonl")).length;
    writeFileSync(join(dir, "s.json.kill"), JSON.stringify({ reason: "test" }));
    await dailySession(dir, buyer(), "2014-01-14", { flatten_on_kill: true });
    const journal = readJournal(join(dir, "j.jsonl")).slice(base);
    const kill = of(journal, "kill_switch")[0];
    expect(kill).toMatchObject({ reason: "test", flatten: true });
    expect(of(after(journal, kill), "order_submitted").map((e) => e.amount)).toEqual([-70]);
    expect(of(after(journal, kill), "risk_denied").map((e) => e.reason)).toEqual([
      "HALTED",
      "HALTED",
    ]);
  });
});

describe("the flatten_before_close setting", () => {
  test("from the command line, a config file or HARVESTER_FLATTEN_BEFORE_CLOSE", async () => {
    expect(settingsFromEnv({ HARVESTER_FLATTEN_BEFORE_CLOSE: "15" })).toEqual({
      flatten_before_close: 15,
    });
    const dir = tempRoot("hv-live-eod-cli-");
    writeFileSync(join(dir, "live.yaml"), "flatten_before_close: 10\n");
    expect(await readConfigFile(join(dir, "live.yaml"))).toEqual({ flatten_before_close: 10 });
    const state = join(dir, "s.json");
    const args = [
      "run",
      "-A",
      "runtime/cli/main.ts",
      "live",
      fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url)),
      "--feed",
      "bundle:zipline-examples",
      "--start",
      "2014-01-02",
      "--end",
      "2014-01-03",
      "--state-file",
      state,
      "--flatten-before-close",
    ];
    const cli = (n: string) =>
      new Deno.Command(Deno.execPath(), {
        args: [...args, n],
        env: { HARVESTER_ROOT: root },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const ok = await cli("15");
    expect(ok.code, new TextDecoder().decode(ok.stderr)).toBe(0);
    const flat = of(readJournal(`${state}.journal.jsonl`), "eod_flatten");
    expect(flat.map((e) => [e.session, e.minutes_before_close])).toEqual([
      ["2014-01-02", 15],
      ["2014-01-03", 15],
    ]);
    const bad = await cli("0");
    expect(bad.code).toBe(2);
    expect(new TextDecoder().decode(bad.stderr)).toMatch(
      /--flatten-before-close: "0" is not a positive number/,
    );
  });
});
