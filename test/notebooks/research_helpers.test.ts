/**
 * The research helpers without a kernel: `get_pricing` against the bundle's raw bars (AAPL's 7:1
 * split of 2014-06-09 in the shipped data), run_pipeline's table (HTML, one asset, Arrow), and
 * the HTML displays of Frame and Series.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { get_pricing } from "../../runtime/research/pricing.ts";
import { factors, Pipeline, run_pipeline } from "../../runtime/pipeline/mod.ts";
import type { PipelineResult } from "../../runtime/pipeline/result.ts";
import type { Frame } from "../../runtime/frames/frame.ts";

const display = (x: unknown) =>
  (x as { [k: symbol]: () => Record<string, string> })[Symbol.for("Jupyter.display")]();

describe("get_pricing", () => {
  let root: string, adjusted: Frame<string, number>, raw: Frame<string, number>;
  beforeAll(async () => {
    root = tempRoot();
    const span = { start: "2014-06-02", end: "2014-06-13", root };
    adjusted = await get_pricing(["AAPL", "MSFT"], span);
    raw = await get_pricing("AAPL", { ...span, fields: ["close", "volume"], adjust: false });
  }, 120_000);

  test("a Frame of sessions × symbols, prices adjusted as of the end", () => {
    expect(adjusted.columns).toEqual(["AAPL", "MSFT"]);
    expect(adjusted.length).toBe(10);
    expect(new Date(adjusted.index[0]).toISOString().slice(0, 10)).toBe("2014-06-02");
    // Before the split day the raw close is 7× the adjusted one; from it on they agree.
    const aapl = adjusted.get("AAPL").values, close = raw.get("close").values;
    expect(close[4] / aapl[4]).toBeCloseTo(7, 9); // 2014-06-06
    expect(close[5]).toBe(aapl[5]); // 2014-06-09
    expect(raw.columns).toEqual(["close", "volume"]);
  });

  test("HTML display: ISO dates, symbols, the shape", () => {
    const html = display(adjusted)["text/html"];
    expect(html).toContain("<th>AAPL</th><th>MSFT</th>");
    expect(html).toContain("<tr><th>2014-06-02</th>");
    expect(html).toContain("10 rows × 2 columns");
    expect(display(adjusted.get("MSFT"))["text/html"]).toContain("Name: MSFT, Length: 10");
  });

  test("bad input names what to change", async () => {
    await expect(get_pricing("NOPE", { start: "2014-06-02", end: "2014-06-13", root })).rejects
      .toThrow(/symbols: no such symbol in bundle zipline-examples/);
    await expect(
      get_pricing("AAPL", {
        start: "2014-06-02",
        end: "2014-06-13",
        root,
        fields: "vwap" as never,
      }),
    ).rejects.toThrow(/fields: use open, high, low, close, volume, price/);
  });
});

describe("run_pipeline's table", () => {
  let result: PipelineResult;
  beforeAll(async () => {
    const rsi = new factors.RSI();
    result = await run_pipeline(
      new Pipeline({ columns: { rsi, high: rsi.gt(50) } }),
      "2014-01-02",
      "2014-01-31",
      { root: tempRoot() },
    );
  }, 120_000);

  test("displays as (date, asset) rows: ISO dates, symbols, true/false", () => {
    const { "text/html": html, "text/plain": plain } = display(result);
    expect(html).toMatch(
      /<th class="hv-key">date<\/th><th class="hv-key">asset<\/th><th>rsi<\/th>/,
    );
    expect(html).toMatch(/<tr><th class="hv-key">2014-01-02<\/th><th class="hv-key">[A-Z]+<\/th>/);
    expect(html).toMatch(/<td>(true|false)<\/td>/);
    expect(html).toContain(`… ${result.length - 20} more rows …`);
    expect(plain).toBe(
      `PipelineResult: ${result.length} rows × 2 columns (${result.dates.length} days)`,
    );
  });

  test(".asset, .matrix and .toArrow agree with the rows", async () => {
    const rows = [...result.rows()].filter((r) => r.asset.symbol === "AAPL");
    const aapl = result.asset("AAPL");
    expect(aapl.length).toBe(rows.length);
    expect(Array.from(aapl.get("rsi").values)).toEqual(rows.map((r) => r.rsi));
    expect(Array.from(aapl.get("high").values)).toEqual(rows.map((r) => (r.high ? 1 : 0)));
    const m = result.matrix("rsi");
    const j = m.assets.findIndex((a) => a.symbol === "AAPL");
    expect(m.values[j]).toBe(rows[0].rsi);
    const table = await result.toArrow();
    expect(table.numRows).toBe(result.length);
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      "date",
      "sid",
      "symbol",
      "rsi",
      "high",
    ]);
  });
});
