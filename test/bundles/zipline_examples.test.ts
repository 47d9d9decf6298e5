/** The shipped zipline-examples bundle keeps zipline's sids, splits and dividend ratios exactly. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type BundleReader, ingest, load, ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import { tempRoot } from "./helpers.ts";

const csv = (name: string) =>
  readFileSync(join(ZIPLINE_EXAMPLES_DIR, name), "utf8").trim().split("\n").slice(1).map((l) =>
    l.split(",")
  );
const day = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
let reader: BundleReader;

beforeAll(async () => {
  const root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  reader = await load("zipline-examples", { root });
});
afterAll(() => reader.close());

describe("zipline-examples bundle", () => {
  test("sids and dates come from assets.csv", () => {
    const want = csv("assets.csv").map(([sid, symbol, start, end, autoClose]) => ({
      sid: Number(sid),
      symbol,
      start,
      end,
      autoClose,
    }));
    expect(reader.assets.map((a) => ({
      sid: a.sid,
      symbol: a.symbol,
      start: new Date(a.start_date).toISOString().slice(0, 10),
      end: new Date(a.end_date).toISOString().slice(0, 10),
      autoClose: new Date(a.auto_close_date).toISOString().slice(0, 10),
    }))).toEqual(want);
  });
  test("splits equal splits.csv", async () => {
    const got = (await reader.adjustments()).filter((a) => a.kind === "split")
      .map((a) => [a.day, a.sid, a.ratio]).sort();
    const want = csv("splits.csv").map(([d, sid, , ratio]) => [day(d), Number(sid), Number(ratio)])
      .sort();
    expect(got).toEqual(want);
  });
  test("dividend ratios equal zipline's (1 - amount / previous close)", async () => {
    const got = await reader.dividends();
    const want = csv("dividends.csv");
    expect(got.length).toBe(want.length);
    const byKey = new Map(
      got.map((d) => [`${d.sid}@${new Date(d.ex_date).toISOString().slice(0, 10)}`, d]),
    );
    for (const [ex, sid, , amount, ratio] of want) {
      const d = byKey.get(`${sid}@${ex}`)!;
      expect(d, `${sid}@${ex}`).toBeDefined();
      expect(d.amount).toBe(Number(amount));
      expect(Math.abs(d.ratio - Number(ratio))).toBeLessThan(1e-15);
      expect(Number.isNaN(d.pay_date)).toBe(true); // never paid, as in zipline
    }
  });
  test("DELL's bars stop at its end date", async () => {
    const bars = await reader.loadDaily([3], Date.UTC(2013, 9, 28), Date.UTC(2013, 9, 31), [
      "close",
    ]);
    expect(Array.from(bars.fields.close!)).toEqual([13.751, 13.84, NaN, NaN]); // last close 2013-10-29
  });
});
