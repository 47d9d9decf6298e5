/**
 * Periodic queries of in-flight orders in running sessions (see inflight.test.ts for the order
 * manager's side): the daily replay and the live minute loop ask after a bar's decisions, the
 * settings reach them from the command line, and the real Alpaca adapter against the fake Alpaca
 * venue on 127.0.0.1 answers the queries when its trade stream lost the events. Clocks are
 * simulated; nothing leaves 127.0.0.1.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { Equity } from "../../runtime/assets/asset.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { settingsFromEnv } from "../../runtime/config/live_config.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { runLive } from "../../runtime/live/session.ts";
import type { SessionState } from "../../runtime/live/session_state.ts";
import { FakeAlpacaVenue } from "../fakes/alpaca_trading_server.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { cli } from "../cli/helpers.ts";
import { connectable, POLL_MS, Sleeps, until } from "../brokers/alpaca/helpers.ts";
import { holdings, managed } from "../brokers/alpaca/manager_helpers.ts";
import { simClock } from "./fed_paper_session.ts";
import { LossyVenue } from "./lossy_venue.ts";

const T0 = Date.parse("2024-01-02T15:00:00Z");
const AAPL = new Equity(1, "AAPL", "AAPL", "NASDAQ", 0, Infinity, Infinity);

describe("in live sessions", () => {
  let root: string;
  beforeAll(async () => {
    root = tempRoot();
    await ingest("zipline-examples", { root, environ: {} });
  });

  test("the minute loop asks after the bar's decisions, with --inflight-after", async () => {
    const dir = tempRoot("hv-inflight-live-");
    const venue = new LossyVenue();
    venue.dropAcks = true;
    const start = Date.parse("2014-05-01T13:29:00Z");
    const clock = simClock(start, (m) => venue.push(m, ["AAPL"]));
    const strategy: Strategy = {
      initialize: async (c) => {
        c.asset = await c.symbol("AAPL");
        c.sent = false;
      },
      handle_data: async (c) => {
        if (c.sent) return;
        c.sent = true;
        await c.order(c.asset, 10, { limit_price: 500 }); // rests: the feed trades at 590
      },
    };
    const state = join(dir, "s.json");
    await runLive({
      strategy,
      strategy_hash: "x",
      bundle: "zipline-examples",
      start: "2014-05-01",
      end: "2014-05-01",
      speed: "max",
      state_path: state,
      journal_path: join(dir, "j.jsonl"),
      capital_base: 1_000_000,
      root,
      broker: venue,
      live: { end: Date.parse("2014-05-01T13:35:00Z"), universe: ["AAPL"], bar_grace_ms: 1 },
      now: clock.now,
      sleep: clock.sleep,
      inflight_after: 90,
    });
    const journal = readJournal(join(dir, "j.jsonl"));
    const sent = journal.filter((e) => e.type === "order_submitted");
    expect(sent).toHaveLength(1);
    const id = sent[0].client_order_id as string;
    // Sent at the 13:31 bar; 60 s old at 13:32 (not asked), 120 s at 13:33: asked, WORKING.
    const queries = journal.filter((e) => e.type === "inflight_query");
    expect(queries).toMatchObject([
      { client_order_id: id, state: "SUBMITTED", age_ms: 120_000, result: "WORKING", event: "ack" },
    ]);
    // After the bar's decisions: the query follows that minute's bar in the journal.
    const at = journal.indexOf(queries[0]);
    const bar = journal.findLast((e, k) => k < at && e.type === "minute_bar")!;
    expect(new Date(bar.time as number).toISOString()).toBe("2014-05-01T13:33:00.000Z");
    expect(venue.asked).toEqual([id]);
    expect(venue.sent).toEqual([id]);
    const saved = JSON.parse(Deno.readTextFileSync(state)).state as SessionState;
    expect(saved.orders.orders.find((o) => o.client_order_id === id)?.state).toBe("WORKING");
  });

  test("the daily replay asks after each session's decisions: a resting order, once a day", async () => {
    const dir = tempRoot("hv-inflight-daily-");
    const strategy: Strategy = {
      initialize: async (c) => {
        c.asset = await c.symbol("AAPL");
        c.sent = false;
      },
      handle_data: async (c) => {
        if (c.sent) return;
        c.sent = true;
        await c.order(c.asset, 10, { limit_price: 100 }); // far under the market: it rests
      },
    };
    await runLive({
      strategy,
      strategy_hash: "x",
      bundle: "zipline-examples",
      start: "2014-04-28",
      end: "2014-04-30",
      speed: "max",
      state_path: join(dir, "s.json"),
      journal_path: join(dir, "j.jsonl"),
      capital_base: 1_000_000,
      root,
    });
    const journal = readJournal(join(dir, "j.jsonl"));
    const id = journal.find((e) => e.type === "order_submitted")!.client_order_id;
    const queries = journal.filter((e) => e.type === "inflight_query");
    // Placed at the first session's close; quiet for a day at each of the next two.
    expect(queries).toMatchObject([
      { client_order_id: id, state: "WORKING", age_ms: 86_400_000, result: "WORKING" },
      { client_order_id: id, state: "WORKING", age_ms: 2 * 86_400_000, result: "WORKING" },
    ]);
    expect(queries.every((q) => q.event === undefined)).toBe(true);
    // Each after its session's bar (and the decisions on it), before the session's end.
    for (const q of queries) {
      const at = journal.indexOf(q);
      const before = journal.slice(0, at).findLast((e) =>
        e.type === "bar" || e.type === "session_end"
      );
      expect(before!.type).toBe("bar");
    }
  });

  test("harvester live --working-quiet-after: the setting reaches the session", async () => {
    const dir = tempRoot("hv-inflight-cli-");
    // A strategy file of its own (no imports): a buy limit far under the market, once.
    const algo = join(dir, "rest_once.ts");
    writeFileSync(
      algo,
      `export async function initialize(c) { c.asset = await c.symbol("AAPL"); }
export async function handle_data(c) {
  if (c.sent) return;
  c.sent = true;
  await c.order(c.asset, 10, { limit_price: 100 });
}
`,
    );
    const base = ["live", algo, "--broker", "paper", "--feed", "bundle:zipline-examples"];
    // --no-benchmark: without one, a notice goes to stderr, which must stay empty here.
    const span = ["--start", "2014-04-28", "--end", "2014-04-30", "--no-benchmark"];
    const files = ["--state-file", join(dir, "s.json"), "--journal", join(dir, "j.jsonl")];
    const env = { HARVESTER_ROOT: root };
    // 100,000 s: a day of quiet is not enough, two are (the default, 300 s, asks on both days).
    const run = await cli([...base, ...span, ...files, "--working-quiet-after", "100000"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const queries = readJournal(join(dir, "j.jsonl")).filter((e) => e.type === "inflight_query");
    expect(queries).toMatchObject([{ state: "WORKING", age_ms: 2 * 86_400_000 }]);
    const bad = await cli([...base, ...span, ...files, "--inflight-after", "0"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--inflight-after: "0" is not a positive number/);
    expect(
      settingsFromEnv({ HARVESTER_INFLIGHT_AFTER: "45", HARVESTER_WORKING_QUIET_AFTER: "600" }),
    )
      .toEqual({ inflight_after: 45, working_quiet_after: 600 });
  });
});

describe("the real Alpaca adapter on the fake venue", () => {
  let venue: FakeAlpacaVenue;
  afterEach(() => venue.close());

  test("a cancel confirmation and executions lost with the trade stream", async () => {
    venue = FakeAlpacaVenue.start();
    venue.prices = { AAPL: 185 };
    let clock = T0;
    venue.now = () => clock;
    const sleeps = new Sleeps();
    sleeps.hold = (ms) => ms === POLL_MS || ms === 1000; // the first reconnect waits for us
    const { broker } = connectable(venue, sleeps);
    await broker.connect();
    const dir = mkdtempSync(join(tmpdir(), "hv-inflight-alpaca-"));
    const m = managed(broker, join(dir, "j.jsonl"), () => clock, { prices: { AAPL: 185 } });
    const state = (id: string) => m.manager.orders.get(id)!.state;
    const a = (await m.manager.place(AAPL, 10, 180, null))!;
    const b = (await m.manager.place(AAPL, 5, 181, null))!;
    await until(() => {
      m.manager.drain();
      return state(a) === "WORKING" && state(b) === "WORKING";
    }, "the acknowledgements");
    venue.instantCancel = false;
    await m.manager.cancel(a);
    m.manager.drain();
    expect(state(a)).toBe("PENDING_CANCEL");
    expect(venue.order(a)!.status).toBe("pending_cancel");

    venue.dropTradeStream();
    await until(() => sleeps.pending.includes(1000), "the reconnect delay");
    venue.completeCancel(a); // nobody listening: lost
    venue.fill(b, 5, 181); // lost too

    clock += 30_001;
    expect(await m.manager.checkInFlight()).toBe(1); // b has been quiet for 30 s only
    expect(state(a)).toBe("CANCELED");
    expect(state(b)).toBe("WORKING");

    clock += 270_000;
    expect(await m.manager.checkInFlight()).toBe(1);
    expect(state(b)).toBe("WORKING");
    expect(holdings(m.ledger)).toEqual({});
    expect(m.warnings).toEqual([
      expect.stringMatching(/^inflight_fill_gap: order .* reports 5 filled \(FILLED\), 0 booked/),
    ]);
    m.journal.writeOut();
    const lines = readJournal(join(dir, "j.jsonl"));
    expect(lines.filter((e) => e.type === "inflight_query")).toMatchObject([
      { client_order_id: a, state: "PENDING_CANCEL", result: "CANCELED", event: "canceled" },
      { client_order_id: b, state: "WORKING", result: "FILLED", broker_filled: 5 },
    ]);

    // The stream comes back: the adapter's re-sync delivers the execution, booked once.
    sleeps.release();
    await until(() => {
      m.manager.drain();
      return state(b) === "FILLED";
    }, "the re-sync");
    expect(holdings(m.ledger)).toEqual({ AAPL: 5 });
    // The re-sync's report of a's cancel confirms what the query applied: not refused.
    expect(m.manager.refused).toBe(0);
    m.journal.writeOut();
    expect(readJournal(join(dir, "j.jsonl")).filter((e) => e.type === "inflight_confirmed"))
      .toMatchObject([{ client_order_id: a, event: "canceled" }]);
    await broker.disconnect();
  });
});
