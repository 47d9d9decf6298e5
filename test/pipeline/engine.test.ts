/**
 * The engine on the shipped bundle and in a backtest: pricing windows see the previous session's
 * bar adjusted as of the day (AAPL's 7:1 split on 2014-06-09, its 2014-05-08 dividend), asset
 * lifetimes, chunking, shared sub-terms, and the attach_pipeline / pipeline_output API rules.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import {
  AttachPipelineAfterInitialize,
  CustomFactor,
  DuplicatePipelineName,
  EquityPricing,
  NoSuchPipeline,
  Pipeline,
  PipelineOutputDuringInitialize,
  RSI,
  run_pipeline,
  SimpleMovingAverage,
  StaticSids,
  UnsupportedPipelineOutput,
  type Window,
} from "../../runtime/pipeline/mod.ts";
import { attach_pipeline, pipeline_output, type PipelineFrame } from "../../runtime/api/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(() => {
  root = tempRoot();
});

const AAPL = 7;

describe("pricing windows on the shipped bundle", () => {
  test("day D sees D−1's bar, adjusted for splits and dividends effective by D", async () => {
    const close = EquityPricing.close;
    const pipe = new Pipeline({
      columns: {
        close: close.latest,
        volume: EquityPricing.volume.latest,
        sma2: new SimpleMovingAverage({ inputs: [close], window_length: 2 }),
      },
      screen: new StaticSids([AAPL]),
    });
    const r = await run_pipeline(pipe, "2014-05-07", "2014-06-10", { root });
    const on = (d: string) => {
      const f = r.day(d);
      return {
        close: f.get("close").iloc(0),
        volume: f.get("volume").iloc(0),
        sma2: f.get("sma2").iloc(0),
      };
    };
    expect(on("2014-06-06").close).toBe(647.349);
    expect(on("2014-06-06").sma2).toBeCloseTo((644.819 + 647.349) / 2, 9);
    // The split is effective 2014-06-09: that day's window already shows earlier bars ÷ 7.
    expect(on("2014-06-09").close).toBeCloseTo(645.57 / 7, 9);
    expect(on("2014-06-09").volume).toBeCloseTo(87484600 * 7, 3);
    expect(on("2014-06-09").sma2).toBeCloseTo((647.349 + 645.57) / 7 / 2, 9);
    expect(on("2014-06-10").close).toBe(93.699);
    expect(on("2014-06-10").sma2).toBeCloseTo((645.57 / 7 + 93.699) / 2, 9);
    // The 2014-05-08 dividend multiplies earlier prices by its ratio from that day on.
    const ratio = 0.9992065220510898;
    expect(on("2014-05-07").sma2).toBeCloseTo((600.959 + 594.41) / 2, 9);
    expect(on("2014-05-08").close).toBeCloseTo(592.329 * ratio, 9);
    expect(on("2014-05-08").sma2).toBeCloseTo(((594.41 * ratio) + (592.329 * ratio)) / 2, 9);
    expect(on("2014-05-09").close).toBe(587.99);
  });

  test("assets appear the day after their start and leave after their end (DELL)", async () => {
    const pipe = new Pipeline({ columns: { rsi: new RSI() } });
    const r = await run_pipeline(pipe, "2013-10-28", "2013-10-31", { root });
    expect(r.day("2013-10-29").assets.map((a) => a.symbol)).toContain("DELL");
    expect(r.day("2013-10-30").assets.map((a) => a.symbol)).not.toContain("DELL");
    expect(r.day("2013-10-30").length).toBe(8);
  });

  test("chunked runs give the same values as one run", async () => {
    const pipe = new Pipeline({
      columns: {
        rsi: new RSI(),
        sma: new SimpleMovingAverage({ inputs: [EquityPricing.close], window_length: 30 }),
      },
    });
    const one = await run_pipeline(pipe, "2014-05-01", "2014-06-30", { root });
    const chunked = await run_pipeline(pipe, "2014-05-01", "2014-06-30", { root, chunksize: 7 });
    expect(chunked.toCSV()).toBe(one.toCSV());
    expect(one.length).toBe(42 * 8);
  });

  test("a sub-term used twice is computed once per day", async () => {
    let calls = 0;
    class Counted extends CustomFactor {
      static override inputs = [EquityPricing.close];
      static override window_length = 3;
      override compute(_t: number, _a: Int32Array, out: Float64Array, c: Window) {
        calls++;
        out.set(c.last());
      }
    }
    const x = new Counted(), y = new Counted();
    expect(x.uid).toBe(y.uid);
    const pipe = new Pipeline({ columns: { x, double: y.mul(2), rank: x.rank() } });
    await run_pipeline(pipe, "2014-01-02", "2014-01-10", { root });
    expect(calls).toBe(7);
  });

  test("columns must be computed, per-asset and single-output", () => {
    expect(() => new Pipeline({ columns: { c: EquityPricing.close } })).toThrow(/latest/);
    const sma = new SimpleMovingAverage({ inputs: [EquityPricing.close], window_length: 3 });
    expect(() => new Pipeline({ columns: { s: sma.slice({ sid: 7 } as never) } })).toThrow(
      UnsupportedPipelineOutput,
    );
    const pipe = new Pipeline({ columns: { s: sma } });
    expect(() => pipe.add(sma, "s")).toThrow(/already exists/);
    pipe.set_screen(sma.gt(0));
    expect(() => pipe.set_screen(sma.gt(1))).toThrow(/already set/);
  });
});

describe("attach_pipeline and pipeline_output in a backtest", () => {
  const run = (strategy: Parameters<typeof run_algorithm>[0]["strategy"]) =>
    run_algorithm({
      strategy,
      start: "2014-01-02",
      end: "2014-01-10",
      root,
      no_benchmark: true,
      capital_base: 1e5,
    });

  test("outputs match run_pipeline day by day, eager or lazy, any chunking", async () => {
    const make = () => new Pipeline({ columns: { rsi: new RSI(), top: new RSI().top(2) } });
    const seen: Record<string, PipelineFrame[]> = { eager: [], lazy: [], small: [] };
    await run({
      initialize() {
        attach_pipeline(make(), "eager");
        attach_pipeline(make(), "lazy", { eager: false });
        attach_pipeline(make(), "small", { chunks: 1 });
      },
      async before_trading_start() {
        for (const k of Object.keys(seen)) seen[k].push(await pipeline_output(k));
      },
    });
    const expected = await run_pipeline(make(), "2014-01-02", "2014-01-10", { root });
    const days = expected.dates;
    for (const k of Object.keys(seen)) {
      expect(seen[k].length).toBe(days.length);
      seen[k].forEach((f, i) => {
        const want = expected.day(days[i]);
        expect(f.assets.map((a) => a.sid)).toEqual(want.assets.map((a) => a.sid));
        expect(Array.from(f.get("rsi").values)).toEqual(Array.from(want.get("rsi").values));
        expect(f.where("top").map((a) => a.sid)).toEqual(want.where("top").map((a) => a.sid));
      });
    }
  });

  test("zipline's rules: init-only attach, no output in initialize, unique names, known names", async () => {
    await expect(run({
      initialize() {
        attach_pipeline(new Pipeline(), "p");
        attach_pipeline(new Pipeline(), "p");
      },
    })).rejects.toThrow(DuplicatePipelineName);
    await expect(run({
      async initialize() {
        attach_pipeline(new Pipeline(), "p");
        await pipeline_output("p");
      },
    })).rejects.toThrow(PipelineOutputDuringInitialize);
    await expect(run({
      initialize() {},
      handle_data() {
        attach_pipeline(new Pipeline(), "late");
      },
    })).rejects.toThrow(AttachPipelineAfterInitialize);
    await expect(run({
      initialize() {},
      async handle_data() {
        await pipeline_output("missing");
      },
    })).rejects.toThrow(NoSuchPipeline);
  });

  test("an empty screen gives an empty frame with the columns", async () => {
    let frame: PipelineFrame | null = null;
    await run({
      initialize() {
        const rsi = new RSI();
        attach_pipeline(new Pipeline({ columns: { rsi }, screen: rsi.gt(1000) }), "none");
      },
      async handle_data() {
        frame = await pipeline_output("none");
      },
    });
    expect(frame!.length).toBe(0);
    expect(frame!.columns).toEqual(["rsi"]);
  });
});
