/**
 * `harvester replay` of a live minute session's journal. Each test first records a real minute
 * session — `runLive` against an in-process paper venue fed minute bars on a simulated clock
 * (the idea of fed_paper_session.ts, with prices that move: AAPL rises 0.10 a minute from 590,
 * MSFT stays at 40) — and then replays its journal: the same strategy makes the same orders, a
 * changed one is caught at the right minute and symbol, and a damaged journal is refused with its
 * file and line. A daily paper journal still replays, now with its recorded setup; and the CLI
 * end to end. No network, no real waiting.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { Asset } from "../../runtime/assets/asset.ts";
import type { Bar } from "../../runtime/model/broker.ts";
import { PaperBroker } from "../../runtime/brokers/paper/paper_broker.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { replayJournal } from "../../runtime/live/replay.ts";
import { JournalReplayError } from "../../runtime/live/replay_setup.ts";
import { runLive } from "../../runtime/live/session.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { simClock } from "./fed_paper_session.ts";

const START = "2014-05-01T19:40:00Z";
const t0 = Date.parse(START);
/** AAPL 590 at the start, 0.10 more each minute; MSFT 40. */
const priceOf = (symbol: string, minute: number) =>
  symbol === "AAPL" ? 590 + 0.1 * Math.round((minute - t0) / 60_000) : 40;
let root: string;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

/** The paper venue with a minute feed whose bars follow `priceOf`. */
class MovingVenue extends PaperBroker {
  private feed: (bar: Bar) => void = () => {};
  constructor() {
    const assets = new Map<string, Asset>();
    const assetOf = (s: string) => {
      if (!assets.has(s)) assets.set(s, new Asset(assets.size, s, s, "PAPER", 0, Infinity, NaN));
      return assets.get(s)!;
    };
    super({ cash: 1_000_000, assetOf });
  }
  subscribeBars(_symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    this.feed = onBar;
    return Promise.resolve();
  }
  push(minute: number, symbols: readonly string[]): void {
    const bars = symbols.map((symbol) => {
      const p = priceOf(symbol, minute);
      return { symbol, time: minute, open: p, high: p, low: p, close: p, volume: 1_000_000 };
    });
    this.onBars(minute, bars);
    for (const b of bars) this.feed(b);
  }
}

/** A live minute session from START to `end` on the moving venue; the path of its journal. */
async function record(strategy: Strategy, end: string, extra = {}): Promise<string> {
  const dir = tempRoot("hv-replay-minute-");
  const venue = new MovingVenue();
  const universe = ["AAPL", "MSFT"];
  const clock = simClock(t0, (m) => venue.push(m, universe));
  await runLive({
    strategy,
    strategy_hash: "x",
    bundle: "zipline-examples",
    start: START,
    end: START,
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    capital_base: 1_000_000,
    root,
    broker: venue,
    live: { end: Date.parse(end), universe, bar_grace_ms: 1 },
    now: clock.now,
    sleep: clock.sleep,
    ...extra,
  });
  return join(dir, "j.jsonl");
}

/**
 * Each minute: 10 AAPL when its price is above the threshold (`-D threshold=…` unless given),
 * then 1 MSFT.
 */
const crosser = (threshold?: number): Strategy => ({
  initialize: async (c) => {
    c.aapl = await c.symbol("AAPL");
    c.msft = await c.symbol("MSFT");
  },
  handle_data: async (c, data) => {
    const limit = threshold ?? Number(c.params.threshold);
    if ((await data.current(c.aapl, "price")) > limit) await c.order(c.aapl, 10);
    await c.order(c.msft, 1);
  },
});

describe("replay of a live minute session", () => {
  let journal: string;
  beforeAll(async () => {
    // Over the close and into the next session's first minutes, flattening 5 minutes before the
    // close, with the threshold as a -D parameter: the replay must take all of it from the journal.
    journal = await record(crosser(), "2014-05-02T13:35:00Z", {
      params: { threshold: "591.05" },
      flatten_before_close: 5,
    });
  });

  test("the recorded session: what the replay has to reproduce", () => {
    const j = readJournal(journal);
    const started = j.find((e) => e.type === "session_started")!;
    expect(started.setup).toMatchObject({
      bundle: "zipline-examples",
      capital_base: 1_000_000,
      params: { threshold: "591.05" },
      flatten_before_close: 5,
      live: { end: Date.parse("2014-05-02T13:35:00Z"), universe: ["AAPL", "MSFT"] },
    });
    const sent = j.filter((e) => e.type === "order_submitted");
    // 19:41–19:54: MSFT every minute, AAPL from 19:51 (591.10 > 591.05); the flatten at 19:55
    // closes both; 13:31–13:35 the next day, both again.
    expect(sent.map((e) => `${e.symbol} ${e.amount}`)).toEqual([
      ...Array(10).fill("MSFT 1"),
      ...Array(4).fill(["AAPL 10", "MSFT 1"]).flat(),
      "MSFT -14", // positions in the order they were opened
      "AAPL -40",
      ...Array(5).fill(["AAPL 10", "MSFT 1"]).flat(),
    ]);
  });

  test("the same strategy makes the same orders", async () => {
    const report = await replayJournal(journal, crosser(), { root });
    expect(report).toEqual({ same: true, recorded: 30, replayed: 30 });
  });

  test("a different threshold: the first difference, at its minute and symbol", async () => {
    // 590.55: AAPL is bought from 19:46 (590.60) instead of 19:51.
    const report = await replayJournal(journal, crosser(590.55), { root });
    expect(report.same).toBe(false);
    expect(report.recorded).toBe(30);
    expect(report.replayed).toBe(35);
    expect(report.difference).toEqual({
      index: 5,
      recorded: {
        session: "2014-05-01",
        minute: "2014-05-01T19:46Z",
        symbol: "MSFT",
        amount: 1,
        limit: null,
        stop: null,
      },
      replayed: {
        session: "2014-05-01",
        minute: "2014-05-01T19:46Z",
        symbol: "AAPL",
        amount: 10,
        limit: null,
        stop: null,
      },
    });
  });

  test("the recorded bars drive the replay: altered prices change the orders", async () => {
    // AAPL's recorded bar at 19:51 falls below the threshold: no AAPL order at 19:51.
    const lines = readFileSync(journal, "utf8").split("\n").map((l) => {
      if (!l.includes('"type":"minute_bar"') || !l.includes('"symbol":"AAPL"')) return l;
      const e = JSON.parse(l);
      if (e.time !== Date.parse("2014-05-01T19:51:00Z")) return l;
      return JSON.stringify({ ...e, open: 591, high: 591, low: 591, close: 591 });
    });
    const altered = join(tempRoot("hv-replay-altered-"), "j.jsonl");
    writeFileSync(altered, lines.join("\n"));
    const report = await replayJournal(altered, crosser(), { root });
    expect(report.difference?.index).toBe(10);
    expect(report.difference?.recorded).toMatchObject({
      minute: "2014-05-01T19:51Z",
      symbol: "AAPL",
      amount: 10,
    });
    expect(report.difference?.replayed).toMatchObject({
      minute: "2014-05-01T19:51Z",
      symbol: "MSFT",
      amount: 1,
    });
  });

  describe("a journal that cannot be replayed names its file and line", () => {
    /** A copy of the journal with line `n` (1-based) replaced (null: removed). */
    const damaged = (edit: (line: string, n: number) => string | null) => {
      const lines = readFileSync(journal, "utf8").split("\n");
      const out = lines.map((l, i) => (l ? edit(l, i + 1) : l)).filter((l) => l !== null);
      const path = join(tempRoot("hv-replay-damaged-"), "j.jsonl");
      writeFileSync(path, out.join("\n"));
      return path;
    };
    const lineOf = (type: string, nth = 0) =>
      readFileSync(journal, "utf8").split("\n").map((l, i) => [l, i + 1] as const)
        .filter(([l]) => l.includes(`"type":"${type}"`))[nth][1];

    test("a torn line in the middle", async () => {
      const n = lineOf("minute_bar", 3);
      const path = damaged((l, i) => (i === n ? l.slice(0, 40) : l));
      const err = await replayJournal(path, crosser(), { root }).catch((e) => e);
      expect(err).toBeInstanceOf(JournalReplayError);
      expect(err.message).toMatch(new RegExp(`^${path}:${n}: not a JSON line`));
      expect(err.line).toBe(n);
    });

    test("a bar whose price is not a number", async () => {
      const n = lineOf("minute_bar", 5);
      const path = damaged((l, i) => (i === n ? l.replace(/"close":[\d.]+/, '"close":"abc"') : l));
      await expect(replayJournal(path, crosser(), { root })).rejects.toThrow(
        `${path}:${n}: minute_bar: "close" is not a number (got "abc")`,
      );
    });

    test("a journal from before setups were recorded", async () => {
      const path = damaged((
        l,
      ) => (l.includes('"session_started"') ? l.replace(/,"setup":.*}$/, "}") : l));
      expect(readJournal(path)[0]).not.toHaveProperty("setup");
      await expect(replayJournal(path, crosser(), { root })).rejects.toThrow(
        new RegExp(`^${path}:1: session_started has no setup .* cannot be replayed`),
      );
    });

    test("no subscribed line", async () => {
      const path = damaged((l) => (l.includes('"type":"subscribed"') ? null : l));
      await expect(replayJournal(path, crosser(), { root })).rejects.toThrow(
        `${path}: no subscribed line after line 1: the universe is unknown`,
      );
    });

    test("a restarted session", async () => {
      const n = lineOf("session_end");
      const path = damaged((l, i) =>
        i === n ? `${l}\n{"ts":"2014-05-01T20:00:01.000Z","type":"session_restored"}` : l
      );
      await expect(replayJournal(path, crosser(), { root })).rejects.toThrow(
        `${path}:${n + 1}: session_restored: the journal holds more than one run`,
      );
    });
  });
});

test("a daily paper journal is still replayed from its bundle, with its recorded capital base", async () => {
  const dir = tempRoot("hv-replay-daily-");
  const half: Strategy = {
    initialize: async (c) => {
      c.asset = await c.symbol("AAPL");
    },
    handle_data: async (c) => {
      await c.order_target_percent(c.asset, 0.5);
    },
  };
  await runLive({
    strategy: half,
    strategy_hash: "x",
    bundle: "zipline-examples",
    start: "2014-01-02",
    end: "2014-01-10",
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    capital_base: 1_000_000, // not the default: the replay must take it from the journal
    root,
  });
  const report = await replayJournal(join(dir, "j.jsonl"), half, { root });
  expect(report.same).toBe(true);
  expect(report.recorded).toBeGreaterThan(0);
});

test(
  "harvester replay JOURNAL ALGO.ts on a minute journal: exit 0 when same, 1 when different",
  async () => {
    const algo = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));
    const strategy = (await import(algo)) as Strategy;
    const journal = await record(strategy, "2014-05-01T19:50:00Z");
    const changed = join(tempRoot("hv-replay-cli-"), "buy11.ts");
    writeFileSync(
      changed,
      [
        "export async function initialize(c) { c.asset = await c.symbol('AAPL'); }",
        "export async function handle_data(c) { await c.order(c.asset, 11); }",
      ].join("\n"),
    );
    const cli = async (...args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "runtime/cli/main.ts", "replay", ...args],
        env: { HARVESTER_ROOT: root },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
    };
    const same = await cli(journal, algo);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe("same orders: 10 recorded, 10 replayed\n");
    const diff = await cli(journal, changed);
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toBe(
      "different orders: 10 recorded, 10 replayed; first difference at #1: " +
        `recorded {"session":"2014-05-01","minute":"2014-05-01T19:41Z","symbol":"AAPL","amount":10,"limit":null,"stop":null}, ` +
        `replayed {"session":"2014-05-01","minute":"2014-05-01T19:41Z","symbol":"AAPL","amount":11,"limit":null,"stop":null}\n`,
    );
    const missing = await cli(`${journal}.nope`, algo);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`harvester replay: ${journal}.nope: no such journal file\n`);
  },
  60_000,
);
