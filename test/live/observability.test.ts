/** Replay parity, execution quality, drift against a baseline, the metrics endpoint, risk in a session. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { runLive } from "../../runtime/live/session.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { replayJournal } from "../../runtime/live/replay.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
const load = async (n: string) =>
  (await import(fileURLToPath(new URL(`../../strategies/${n}.ts`, import.meta.url)))) as Strategy;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

const paper = async (name: string, dir: string, extra: Record<string, unknown> = {}) =>
  runLive({
    strategy: await load(name),
    strategy_hash: "x",
    bundle: "zipline-examples",
    start: "2011-01-01",
    end: "2012-12-31",
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    root,
    ...extra,
  });

describe("observability", () => {
  test("replay makes the same orders on the recorded bars, and different ones on altered bars", async () => {
    const dir = tempRoot("hv-obs-");
    await paper("dual_moving_average", dir);
    const strategy = await load("dual_moving_average");
    const same = await replayJournal(join(dir, "j.jsonl"), strategy, { root });
    expect(same).toMatchObject({ same: true, recorded: 1, replayed: 1 });
    // Halve AAPL's recorded closes through 2012: the crossover happens elsewhere, or not at all.
    const lines = readFileSync(join(dir, "j.jsonl"), "utf8").split("\n").map((l) => {
      if (!l.includes('"type":"bar"') || !l.includes('"session":"2012')) return l;
      const e = JSON.parse(l);
      for (const b of e.bars) if (b.symbol === "AAPL") b.close = b.close / 2;
      return JSON.stringify(e);
    });
    writeFileSync(join(dir, "j.jsonl"), lines.join("\n"));
    const diff = await replayJournal(join(dir, "j.jsonl"), strategy, { root });
    expect(diff.same).toBe(false);
  });
  test("execution quality per order and venue; drift against the backtest baseline", async () => {
    const dir = tempRoot("hv-obs-");
    const base = await run_algorithm({
      strategy: await load("buyapple"),
      start: "2011-01-01",
      end: "2012-12-31",
      root,
      no_benchmark: true,
    });
    writeFileSync(join(dir, "baseline.csv"), base.toCSV());
    await paper("buyapple", dir, { baseline: join(dir, "baseline.csv") });
    const q = JSON.parse(readFileSync(join(dir, "s.json.quality.json"), "utf8"));
    expect(q.venues[0]).toMatchObject({ venue: "paper", orders: 502, filled: 501 });
    expect(q.orders[1].slippage_bps).toBeGreaterThan(0); // VolumeShareSlippage buys above the decision price
    const perf = JSON.parse(readFileSync(join(dir, "live_performance.json"), "utf8"));
    expect(perf.return_gap).toBe(0);
    expect(perf.matched_sessions).toBe(502);
    const drift = readFileSync(join(dir, "live_drift.csv"), "utf8").split("\n");
    expect(drift[0]).toBe(
      "date,live_return,baseline_return,return_diff,live_equity,baseline_equity,equity_diff",
    );
  });
  test("the Prometheus endpoint on 127.0.0.1 reports orders, equity and trading state", async () => {
    const dir = tempRoot("hv-obs-");
    const port = 20000 + Math.floor(Math.random() * 20000);
    const run = paper("buyapple", dir, {
      metrics_port: port,
      speed: 20_000_000,
      end: "2011-03-31",
    });
    let text = "";
    for (let k = 0; k < 100 && !text.includes('harvester_orders{state="FILLED"}'); k++) {
      await new Promise((r) => setTimeout(r, 50));
      text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => "");
    }
    await run;
    expect(text).toMatch(/harvester_orders\{state="FILLED"\} \d+/);
    expect(text).toMatch(/harvester_equity \d/);
    expect(text).toMatch(/harvester_trading_state\{state="ACTIVE"\} 1/);
  });
  test("risk limits in a session: notional cap denies; the daily loss limit throws the kill switch", async () => {
    const dir = tempRoot("hv-obs-");
    await paper("buy_and_hold", dir, { risk: { max_notional_per_order: 10_000 } });
    const j = readJournal(join(dir, "j.jsonl"));
    // 100 AAPL (~$330 each) is over the cap; 100 MSFT (~$28) is not.
    expect(j.filter((e) => e.type === "risk_denied").map((e) => [e.symbol, e.reason])).toEqual([[
      "AAPL",
      "MAX_NOTIONAL",
    ]]);
    expect(j.filter((e) => e.type === "order_submitted").map((e) => e.symbol)).toEqual(["MSFT"]);
    const dir2 = tempRoot("hv-obs-");
    await paper("buy_and_hold", dir2, { risk: { daily_loss_limit: 1 } });
    const k = readJournal(join(dir2, "j.jsonl")).find((e) => e.type === "kill_switch");
    expect(String(k?.reason)).toMatch(/daily loss .* exceeds the limit 1/);
  });
});
