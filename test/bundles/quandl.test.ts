/** The quandl bundle, end to end against a fake Nasdaq Data Link on 127.0.0.1. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { IngestError } from "../../bundles/errors.ts";
import { quandl_bundle } from "../../bundles/ingest/quandl.ts";
import { bundleDir, listVersions } from "../../bundles/paths.ts";
import { silentProgress } from "../../bundles/progress.ts";
import { ingest, load, register } from "../../bundles/registry.ts";
import {
  type FakeQuandl,
  type QuandlScript,
  startQuandlServer,
  type WikiRow,
  wikiZip,
} from "../fakes/quandl_server.ts";

const d = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const DAY = 86_400_000;

/** Four tickers over early June 2014, with one split, one dividend and rows to skip. */
const ROWS: WikiRow[] = [
  ...["02", "03", "04", "05", "06"].map((day, i) => ({
    ticker: "AAPL",
    date: `2014-06-${day}`,
    open: 630 + i,
    high: 640 + i,
    low: 620 + i,
    close: 635 + i,
    volume: 1e6 + i,
  })),
  // A 7-for-1 split effective 2014-06-09.
  {
    ticker: "AAPL",
    date: "2014-06-09",
    open: 92,
    high: 94,
    low: 91,
    close: 93,
    volume: 7e6,
    split_ratio: 7,
  },
  { ticker: "IBM", date: "1985-01-02", open: 120, high: 121, low: 119, close: 120, volume: 5e5 },
  { ticker: "IBM", date: "2014-06-02", open: 184, high: 185, low: 183, close: 184, volume: 3e6 },
  { ticker: "IBM", date: "2014-06-03", close: 183, volume: 3e6 }, // only a close, as WIKI has
  ...["02", "03", "04", "05", "06", "07"].map((day, i) => ({
    ticker: "MSFT",
    date: `2014-06-${day}`,
    open: 40 + i,
    high: 41 + i,
    low: 39 + i,
    close: 40.5 + i,
    volume: 2e7,
    ex_dividend: day === "05" ? 0.28 : 0,
  })),
  { ticker: "OLD", date: "1985-01-02", open: 1, high: 1, low: 1, close: 1, volume: 100 },
];

let fake: FakeQuandl | undefined;
const roots: string[] = [];

beforeAll(() => register("quandl", quandl_bundle(), { calendar_name: "XNYS" }));
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function setup(script: Partial<QuandlScript> = {}) {
  fake = startQuandlServer({ rows: ROWS, ...script });
  const root = mkdtempSync(join(tmpdir(), "hv-quandl-"));
  roots.push(root);
  const notes: string[] = [];
  const environ: Record<string, string> = {
    QUANDL_API_KEY: "test-key",
    QUANDL_BASE_URL: fake.baseUrl,
    QUANDL_RETRY_BASE_MS: "1",
  };
  const run = (extra: Record<string, string | undefined> = {}) =>
    ingest("quandl", {
      root,
      environ: { ...environ, ...extra },
      options: {},
      progress: { ...silentProgress, note: (m) => void notes.push(m) },
    });
  return { fake, root, notes, run };
}

const cached = (root: string) => readdirSync(join(bundleDir(root, "quandl"), ".cache"));

describe("quandl bundle", () => {
  test("ingests bars, assets, splits and dividends", async () => {
    const { fake, root, notes, run } = setup();
    await run();
    expect(fake.counts).toEqual({ export: 1, download: 1 });
    expect(listVersions(root, "quandl")).toHaveLength(1);
    expect(cached(root)).toEqual([]); // the download cache goes once the ingest succeeds
    expect(notes).toContain("quandl: skipped 1 row(s) on dates that are not XNYS sessions");
    expect(notes.some((n) => n.startsWith("quandl: skipped 2 row(s) outside"))).toBe(true);
    expect(notes).toContain("quandl: 1 ticker(s) have no bar on a session; left out");

    const reader = await load("quandl", { root });
    try {
      // Sids by sorted ticker over the whole file; OLD (sid 3) has no session bar.
      expect(reader.assets.map((a) => [a.sid, a.symbol])).toEqual([[0, "AAPL"], [1, "IBM"], [
        2,
        "MSFT",
      ]]);
      const aapl = reader.asset(0)!;
      expect([aapl.exchange, aapl.country_code]).toEqual(["QUANDL", "US"]);
      expect([aapl.start_date, aapl.end_date]).toEqual([d("2014-06-02"), d("2014-06-09")]);
      expect(aapl.auto_close_date).toBe(d("2014-06-09") + DAY);
      expect(reader.asset(2)!.end_date).toBe(d("2014-06-06")); // the Saturday row is skipped

      const bars = await reader.loadDaily([0, 1, 2], d("2014-06-02"), d("2014-06-09"));
      const n = bars.sessions.length;
      expect(n).toBe(6);
      expect(Array.from(bars.fields.close!.subarray(0, n))).toEqual([635, 636, 637, 638, 639, 93]);
      expect(bars.fields.volume![5]).toBe(7e6);
      expect(bars.fields.open![n + 1]).toBeNaN(); // IBM 06-03 had only a close
      expect(bars.fields.close![n + 1]).toBe(183);
      expect(bars.fields.close![n + 2]).toBeNaN(); // no IBM row after 06-03

      const adj = await reader.adjustments();
      expect(adj.filter((a) => a.kind === "split")).toEqual([
        { sid: 0, day: d("2014-06-09") / DAY, ratio: 1 / 7, kind: "split" },
      ]);
      const [div] = await reader.dividends();
      expect([div.sid, div.ex_date, div.amount]).toEqual([2, d("2014-06-05"), 0.28]);
      expect(div.ratio).toBeCloseTo(1 - 0.28 / 42.5, 12); // close of 06-04
      expect(div.pay_date).toBeNaN();
    } finally {
      reader.close();
    }
  });

  test("retries 5xx and 429 answers, on the export request and the download", async () => {
    const { fake, root, notes, run } = setup({
      exportFailures: [503, 500, 429],
      downloadFailures: [502],
    });
    await run();
    expect(fake.counts).toEqual({ export: 4, download: 2 });
    expect(notes.filter((n) => /retry \d+ in/.test(n))).toHaveLength(4);
    expect(listVersions(root, "quandl")).toHaveLength(1);
  });

  test("gives up after QUANDL_DOWNLOAD_ATTEMPTS and leaves no version", async () => {
    const { fake, root, run } = setup({ exportFailures: [503, 503, 503] });
    await expect(run({ QUANDL_DOWNLOAD_ATTEMPTS: "2" })).rejects.toThrow(
      /giving up .* after 2 attempts \(HTTP 503\)/,
    );
    expect(fake.counts.export).toBe(2);
    expect(listVersions(root, "quandl")).toEqual([]);
  });

  test("waits while the export is being created", async () => {
    const { fake, root, notes, run } = setup({ creating: 2 });
    await run();
    expect(fake.counts).toEqual({ export: 3, download: 1 });
    expect(notes.filter((n) => n.includes("preparing the WIKI/PRICES export"))).toHaveLength(2);
    expect(listVersions(root, "quandl")).toHaveLength(1);
  });

  test("a bad API key is one clear error, without the key, and no version", async () => {
    const { fake, root, run } = setup();
    const err = await run({ QUANDL_API_KEY: "wrong-secret" }).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect(err.message).toMatch(/refused QUANDL_API_KEY \(QEAx01: We could not recognize/);
    expect(JSON.stringify(err.message)).not.toContain("wrong-secret");
    expect(fake.counts).toEqual({ export: 1, download: 0 });
    expect(listVersions(root, "quandl")).toEqual([]);
  });

  test("a key without access to WIKI (HTTP 403) is reported the same way", async () => {
    const { root, run } = setup({ noPermission: true });
    await expect(run()).rejects.toThrow(/refused QUANDL_API_KEY \(QEPx02: You do not have/);
    expect(listVersions(root, "quandl")).toEqual([]);
  });

  test("a missing API key fails before any request", async () => {
    const { fake, root, run } = setup();
    await expect(run({ QUANDL_API_KEY: undefined })).rejects.toThrow(
      /needs a Nasdaq Data Link API key: set QUANDL_API_KEY/,
    );
    expect(fake.counts.export).toBe(0);
    expect(listVersions(root, "quandl")).toEqual([]);
  });

  test("a corrupt or truncated zip fails, is dropped from the cache, and is fetched anew", async () => {
    const whole = wikiZip(ROWS);
    for (const zip of [new TextEncoder().encode("<html>oops</html>"), whole.slice(0, 200)]) {
      const { fake, root, run } = setup({ zip });
      await expect(run()).rejects.toThrow(/WIKI\/PRICES export is not a readable zip/);
      expect(listVersions(root, "quandl")).toEqual([]);
      expect(cached(root)).toEqual([]);
      fake.script.zip = undefined;
      await run();
      expect(fake.counts.download).toBe(2);
      expect(listVersions(root, "quandl")).toHaveLength(1);
      await fake.close();
    }
    fake = undefined;
  });

  test("malformed rows fail naming ticker and date; the download stays cached", async () => {
    const rows = ROWS.map((r) =>
      r.ticker === "MSFT" && r.date === "2014-06-03" ? { ...r, close: "4O.5" } : r
    );
    const { fake, root, run } = setup({ rows });
    const err = await run().catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect(err.message).toContain('ticker MSFT on 2014-06-03: cannot read "4O.5" as a number');
    expect(err.column).toBe("close");
    expect(err.line).toBe(12); // the header is line 1
    expect(cached(root)).toEqual(["WIKI_PRICES.zip"]);
    await expect(run()).rejects.toThrow(/ticker MSFT on 2014-06-03/);
    expect(fake.counts.download).toBe(1); // the second run read the cached file
    expect(listVersions(root, "quandl")).toEqual([]);
  });

  test.each([
    ["a negative price", { close: -1 }, /ticker IBM on 2014-06-02: negative close/],
    ["a zero split ratio", { split_ratio: 0 }, /ticker IBM on 2014-06-02: split_ratio must be/],
  ])("%s fails naming the row", async (_, change, message) => {
    const rows = ROWS.map((r) =>
      r.ticker === "IBM" && r.date === "2014-06-02" ? { ...r, ...change } : r
    );
    const { root, run } = setup({ rows });
    await expect(run()).rejects.toThrow(message);
    expect(listVersions(root, "quandl")).toEqual([]);
  });

  test("a row given twice fails", async () => {
    const { run } = setup({ rows: [...ROWS, ROWS[0]] });
    await expect(run()).rejects.toThrow(
      /ticker AAPL on 2014-06-02: the row appears more than once/,
    );
  });

  test("the cache folder holds nothing partial after a failed download", async () => {
    const { root, run } = setup({ downloadFailures: [503, 503] });
    await expect(run({ QUANDL_DOWNLOAD_ATTEMPTS: "2" })).rejects.toThrow(/giving up/);
    const dir = join(bundleDir(root, "quandl"), ".cache");
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
