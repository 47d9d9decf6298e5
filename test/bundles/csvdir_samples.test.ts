/** zipline's TestCSVDIRBundle, on Harvester's store. */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { type BundleReader, ingest, load } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { tempRoot } from "./helpers.ts";

const fixture = (p: string) =>
  fileURLToPath(new URL(`../fixtures/csvdir_samples/${p}`, import.meta.url));
const SYMBOLS = ["AAPL", "IBM", "KO", "MSFT"];
let reader: BundleReader;

beforeAll(async () => {
  const root = tempRoot();
  await ingest("csvdir", { root, environ: { CSVDIR: fixture("csvdir") } });
  reader = await load("csvdir", { root });
});
afterAll(() => reader.close());

describe("csvdir samples", () => {
  test("sids follow the alphabetical order of the files", () => {
    expect(reader.assets.map((a) => [a.sid, a.symbol])).toEqual(SYMBOLS.map((s, i) => [i, s]));
  });
  test("dates: start, end and the auto-close day after the last row", () => {
    for (const a of reader.assets) {
      expect(new Date(a.start_date).toISOString().slice(0, 10)).toBe("2012-01-03");
      expect(new Date(a.end_date).toISOString().slice(0, 10)).toBe("2014-12-31");
      expect(new Date(a.auto_close_date).toISOString().slice(0, 10)).toBe("2015-01-01");
      expect(a.exchange).toBe("CSVDIR");
    }
  });
  test("the calendar is CSVDIR, an alias of NYSE", () => {
    expect(reader.calendar).toBe(get_calendar("NYSE"));
  });
  test("raw bars equal the CSV", async () => {
    const bars = await reader.loadDaily([0, 1, 2, 3], Date.UTC(2012, 0, 3), Date.UTC(2014, 11, 31));
    const n = bars.sessions.length;
    expect(n).toBe(754);
    SYMBOLS.forEach((sym, a) => {
      const rows = readFileSync(fixture(`csvdir/daily/${sym}.csv`), "utf8").trim().split("\n")
        .slice(1);
      expect(rows.length).toBe(n);
      rows.forEach((line, t) => {
        const [, o, h, l, c, v] = line.split(",").map(Number);
        expect(bars.fields.open![a * n + t]).toBeCloseTo(o, 2);
        expect(bars.fields.high![a * n + t]).toBeCloseTo(h, 2);
        expect(bars.fields.low![a * n + t]).toBeCloseTo(l, 2);
        expect(bars.fields.close![a * n + t]).toBeCloseTo(c, 2);
        expect(bars.fields.volume![a * n + t]).toBe(Number.isNaN(v) ? 0 : v);
      });
    });
  });
  test("adjustment indices equal zipline's", async () => {
    const expected = JSON.parse(readFileSync(fixture("expected_adjustment_indices.json"), "utf8"));
    const cal = get_calendar("XNYS");
    const sessions = cal.sessions_in_range(Date.UTC(1990, 0, 2), Date.UTC(2014, 11, 31));
    const columns = ["open", "high", "low", "close", "volume"];
    const got = await reader.load_pricing_adjustments(columns, sessions, [0, 1, 2, 3]);
    columns.forEach((col, k) => {
      const want = (expected.columns[col] as { index: number }[]).map((e) => e.index);
      expect([...got[k].keys()].sort((a, b) => a - b), col).toEqual(want);
    });
    expect(got[4].size).toBe(2); // volume: the two split dates only
  });
  test("splits are stored as 1/split; dividends on their ex-date without a pay date", async () => {
    const adj = await reader.adjustments();
    const splits = adj.filter((a) => a.kind === "split").map((a) => [a.sid, a.ratio]);
    expect(splits).toEqual([[2, 0.5], [0, 1 / 7]]);
    const divs = await reader.dividends();
    expect(divs.length).toBeGreaterThan(0);
    expect(divs.every((d) => Number.isNaN(d.pay_date))).toBe(true);
  });
});
