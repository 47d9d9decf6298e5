/**
 * Pipelines in live sessions: `attach_pipeline` / `pipeline_output` run in a live minute session
 * (a day at a time, over the bundle's history) and give what research's `run_pipeline` gives for
 * that day; a paper replay computes them as the backtest does (test/parity/).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { factors, Pipeline } from "../../runtime/pipeline/mod.ts";
import { run_pipeline } from "../../runtime/pipeline/research.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { minuteSession } from "./fed_paper_session.ts";

let root: string;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

const pipeline = () =>
  new Pipeline({ columns: { rsi: new factors.RSI(), top: new factors.RSI().top(3) } });

describe("pipelines in a live minute session", () => {
  test("pipeline_output in before_trading_start: the day's output, as run_pipeline gives it", async () => {
    const outputs: Record<string, number>[] = [];
    const strategy: Strategy = {
      initialize: async (c) => {
        c.asset = await c.symbol("AAPL");
        c.attach_pipeline(pipeline(), "rsi");
      },
      before_trading_start: async (c) => {
        const out = await c.pipeline_output("rsi");
        const row: Record<string, number> = {};
        for (const a of Array.from(out.index)) row[a.symbol] = out.get("rsi").get(a)!;
        outputs.push(row);
      },
    };
    await minuteSession(root, strategy, {
      start: "2014-05-01T12:00:00Z",
      end: "2014-05-01T14:00:00Z",
    });
    expect(outputs.length).toBe(1);
    const expected = (await run_pipeline(pipeline(), "2014-05-01", "2014-05-01", { root }))
      .day("2014-05-01");
    const want: Record<string, number> = {};
    for (const a of Array.from(expected.index)) want[a.symbol] = expected.get("rsi").get(a)!;
    expect(Object.keys(want).length).toBeGreaterThan(5);
    expect(outputs[0]).toEqual(want);
  });
});
