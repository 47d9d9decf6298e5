/**
 * `--price-decimals 3` (issue 21, rule 5): prices stored as zipline-reloaded stores them.
 * - `data/bcolz_daily_bars.py` `to_ctable`: `(raw_data[OHLC] * 1000).round().astype("uint32")`
 *   (numpy rounds halves to even) and `raw_data.volume.astype("uint32")` (truncation);
 *   `data/bcolz_minute_bars.py` `convert_cols` does the same with `OHLC_RATIO` 1000;
 * - the readers multiply by 0.001 (`_equities.pyx` `_read_bcolz_data`, `get_value`) and read a
 *   stored 0 as no price;
 * - `SQLiteAdjustmentWriter` computes a dividend's ratio from the stored close before its
 *   ex-date: `1 − amount / close`.
 * Without the option prices keep full precision.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest, load, register } from "../../bundles/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { cli } from "../cli/helpers.ts";
import { csvFolder, tempRoot } from "./helpers.ts";

/** numpy's `round()` of a double: to the nearest integer, halves to even. */
const rint = (y: number) => {
  const r = Math.round(y);
  return r - y === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
/** What zipline reads back for a price it stored. */
const zipline = (p: number) => (rint(p * 1000) === 0 ? NaN : rint(p * 1000) * 0.001);

// PX: vendor prices with four decimals and fractional volumes; a dividend ex 2024-07-05.
const ROWS = [
  ["2024-07-01", 106.4049, 106.9, 106.1, 106.4041, 1500.7, 0],
  ["2024-07-02", 106.4041, 107.0125, 105.0005, 106.4041, 2000.2, 0],
  ["2024-07-03", 10.0625, 10.0635, 0.0004, 10.0625, 999.99, 0],
  ["2024-07-05", 10.1234, 10.5, 10.0001, 10.2229, 1234, 0.1],
  ["2024-07-08", 10.2, 10.3, 10.1, 10.25, 1000, 0],
] as const;
const CSV = ["date,open,high,low,close,volume,dividend,split"].concat(
  ROWS.map((r) => [...r, 1].join(",")),
).join("\n");

let root: string, csvdir: string, strategy: Strategy;
beforeAll(async () => {
  root = tempRoot();
  csvdir = csvFolder({ "PX.csv": CSV });
  strategy = await import(
    fileURLToPath(
      new URL("../fixtures/strategies/zipline_rules/price_decimals.ts", import.meta.url),
    )
  ) as Strategy;
  const env = { HARVESTER_ROOT: root };
  expect((await cli(["ingest", "csvdir", "--csvdir", csvdir, "--price-decimals", "3"], env)).code)
    .toBe(0);
  const { csvdir_equities } = await import("../../bundles/mod.ts");
  register("px-full", csvdir_equities({ csvdir }), { calendar_name: "XNYS" });
  register("px-three", csvdir_equities({ csvdir }), { calendar_name: "XNYS", price_decimals: 3 });
  await ingest("px-full", { root });
  await ingest("px-three", { root });
});

async function bars(bundle: string) {
  const reader = await load(bundle, { root });
  try {
    const b = await reader.loadDaily([0], Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 8));
    const [div] = await reader.dividends();
    return { fields: b.fields, ratio: div.ratio, decimals: reader.metadata.price_decimals };
  } finally {
    reader.close();
  }
}

describe("--price-decimals 3: prices as zipline stores them", () => {
  test("OHLC are zipline's integers × 0.001 (halves to even, 0 is no price); volumes whole", async () => {
    for (const bundle of ["csvdir", "px-three"]) {
      const b = await bars(bundle);
      expect(b.decimals).toBe(3);
      (["open", "high", "low", "close"] as const).forEach((f, k) => {
        expect([...b.fields[f]!], f).toEqual(ROWS.map((r) => zipline(r[k + 1] as number)));
      });
      expect([...b.fields.volume!]).toEqual([1500, 2000, 999, 1234, 1000]);
      // The cases spelled out: the 106.4041 → 106.404; 10.0625 × 1000 = 10062.5 → 10062
      // (even); 105.0005 × 1000 is 105000.49999999999 → 105000; 0.0004 → 0 → no price.
      expect(b.fields.close![0]).toBe(106404 * 0.001);
      expect(b.fields.open![2]).toBe(10062 * 0.001);
      expect(b.fields.low![1]).toBe(105000 * 0.001);
      expect(b.fields.low![2]).toBeNaN();
      // The dividend's ratio comes from the stored close of 07-03.
      expect(b.ratio).toBe(1 - 0.1 / (10062 * 0.001));
    }
  });

  test("by default prices keep full precision", async () => {
    const b = await bars("px-full");
    expect(b.decimals).toBeUndefined();
    expect([...b.fields.close!]).toEqual(ROWS.map((r) => r[4]));
    expect([...b.fields.volume!]).toEqual(ROWS.map((r) => r[5]));
  });

  test("the strategy fills at zipline's price: the stored close plus 5 basis points", async () => {
    const run = (bundle: string) =>
      run_algorithm({
        strategy,
        start: "2024-07-01",
        end: "2024-07-08",
        bundle,
        root,
        no_benchmark: true,
      });
    const three = await run("px-three"), full = await run("px-full");
    // zipline's FixedBasisPointsSlippage (`finance/slippage.py`): `price + price × 0.0005` for a
    // buy, from the 07-02 close as stored.
    const stored = 106404 * 0.001;
    expect(three.transactions[0].price).toBe(stored + stored * 0.0005);
    expect(full.transactions[0].price).toBe(106.4041 + 106.4041 * 0.0005);
    expect(three.transactions[0].price).not.toBe(full.transactions[0].price);
    expect(three.recorded.get("price")).toEqual(ROWS.map((r) => zipline(r[4])));
  });

  test("minute bars are stored the same way", async () => {
    const { csvdir_equities } = await import("../../bundles/mod.ts");
    const minute = csvFolder({
      "PX.csv": "date,open,high,low,close,volume\n" +
        "2024-07-01 13:31:00,106.4049,106.4051,10.0625,106.4041,10.9\n",
    }, "minute");
    register("px-minute", csvdir_equities({ csvdir: minute }), { price_decimals: 3 });
    await ingest("px-minute", { root });
    const reader = await load("px-minute", { root });
    try {
      const m = await reader.loadMinuteRange([0], Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 1));
      const k = m.minutes.indexOf(Date.UTC(2024, 6, 1, 13, 31));
      expect([m.fields.open![k], m.fields.high![k], m.fields.low![k], m.fields.close![k]])
        .toEqual([106405 * 0.001, 106405 * 0.001, 10062 * 0.001, 106404 * 0.001]);
      expect(m.fields.volume![k]).toBe(10);
    } finally {
      reader.close();
    }
  });

  test("a bad setting names itself", async () => {
    const bad = await cli(["ingest", "csvdir", "--csvdir", csvdir, "--price-decimals", "x"], {
      HARVESTER_ROOT: root,
    });
    expect([bad.code, bad.stderr.trim()]).toEqual([
      2,
      'harvester ingest: --price-decimals: "x" is not a whole number from 0 to 9 (3: zipline\'s)',
    ]);
    const { csvdir_equities } = await import("../../bundles/mod.ts");
    expect(() => register("px-bad", csvdir_equities({ csvdir }), { price_decimals: 2.5 }))
      .toThrow(/register\("px-bad"\): price_decimals: 2.5 is not a whole number from 0 to 9/);
  });
});
