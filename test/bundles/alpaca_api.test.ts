import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { alpaca_api_bundle } from "../../bundles/ingest/alpaca_api.ts";
import { listVersions } from "../../bundles/paths.ts";
import type { Progress } from "../../bundles/progress.ts";
import { ingest, load, register, unregister } from "../../bundles/registry.ts";
import { get_calendar } from "../../calendars/registry.ts";
import { emptyData, FakeAlpacaServer, type FakeBar } from "../fakes/alpaca_data_server.ts";

const BUNDLE = "alpaca_api";
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const xnys = get_calendar("XNYS");

/** Daily bars stamped as Alpaca stamps them: New York midnight (05:00Z in winter). */
function dailyBars(from: string, to: string, base: number): FakeBar[] {
  return [...xnys.sessions_in_range(day(from), day(to))].map((s, i) => {
    const c = base + i;
    return {
      t: new Date(s + 5 * 3600_000).toISOString().replace(".000Z", "Z"),
      o: c - 0.5,
      h: c + 1,
      l: c - 1,
      c,
      v: 1000 * (i + 1),
      n: 10,
      vw: c,
    };
  });
}

function seed(server: FakeAlpacaServer): void {
  const data = emptyData();
  data.assets = ["AAPL", "MSFT", "TSLA", "NVDA"].map((symbol) => ({
    symbol,
    name: `${symbol} Inc. Common Stock`,
    exchange: symbol === "MSFT" || symbol === "AAPL" ? "NASDAQ" : "NYSE",
    tradable: true,
    status: "active",
  }));
  data.bars["1Day"] = {
    AAPL: dailyBars("2024-01-02", "2024-01-12", 100),
    MSFT: dailyBars("2024-01-02", "2024-01-12", 300),
    TSLA: dailyBars("2024-01-02", "2024-01-12", 200),
    NVDA: dailyBars("2024-01-02", "2024-01-12", 500),
  };
  data.corporate_actions = {
    forward_splits: [{ symbol: "TSLA", new_rate: 3, old_rate: 1, ex_date: "2024-01-08" }],
    reverse_splits: [{ symbol: "MSFT", new_rate: 1, old_rate: 10, ex_date: "2024-01-04" }],
    cash_dividends: [{
      symbol: "AAPL",
      rate: 0.24,
      ex_date: "2024-01-05",
      record_date: "2024-01-08",
      payable_date: "2024-01-12",
    }],
  };
  server.data = data;
}

let server: FakeAlpacaServer;
let root: string;
let notes: string[];
const progress: Progress = { start() {}, tick() {}, done() {}, note: (m) => notes.push(m) };

const environ = (over: Record<string, string> = {}) => ({
  APCA_API_KEY_ID: "test-key",
  APCA_API_SECRET_KEY: "test-secret",
  APCA_API_BASE_URL: server.url,
  APCA_API_DATA_URL: server.url,
  HARVESTER_HTTP_RETRY_BASE_MS: "1",
  HARVESTER_HTTP_RETRY_MAX_MS: "5",
  ...over,
});

const run = (options: Record<string, unknown>, env: Record<string, string> = environ()) =>
  ingest(BUNDLE, { root, environ: env, progress, options });

beforeAll(() => {
  register(BUNDLE, alpaca_api_bundle(), { calendar_name: "XNYS" });
  server = FakeAlpacaServer.start();
});
afterAll(async () => {
  unregister(BUNDLE);
  await server.close();
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "harvester-alpaca-"));
  notes = [];
  server.log.length = 0;
  server.failures.length = 0;
  server.pageSize = 4;
  seed(server);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("alpaca_api bundle", () => {
  test("daily bars, assets, splits and dividends, across pages", async () => {
    await run({ symbols: ["TSLA", "AAPL", "MSFT"], start: "2024-01-02", end: "2024-01-10" });
    const r = await load(BUNDLE, { root });
    try {
      expect(r.assets.map((a) => [a.sid, a.symbol, a.exchange])).toEqual([
        [0, "AAPL", "NASDAQ"],
        [1, "MSFT", "NASDAQ"],
        [2, "TSLA", "NYSE"],
      ]);
      expect(r.assets[0].asset_name).toBe("AAPL Inc. Common Stock");
      expect(r.assets[0].start_date).toBe(day("2024-01-02"));
      expect(r.assets[0].end_date).toBe(day("2024-01-10"));
      const bars = await r.loadDaily([0, 2], day("2024-01-02"), day("2024-01-10"));
      expect([...bars.sessions].map((s) => new Date(s).toISOString().slice(0, 10))).toEqual([
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
        "2024-01-08",
        "2024-01-09",
        "2024-01-10",
      ]);
      expect([...bars.fields.close!]).toEqual([
        100,
        101,
        102,
        103,
        104,
        105,
        106,
        200,
        201,
        202,
        203,
        204,
        205,
        206,
      ]);
      expect(bars.fields.volume![6]).toBe(7000);
      const adj = await r.adjustments();
      expect(adj.filter((a) => a.kind === "split")).toEqual([
        { sid: 1, day: day("2024-01-04") / 86_400_000, ratio: 10, kind: "split" },
        { sid: 2, day: day("2024-01-08") / 86_400_000, ratio: 1 / 3, kind: "split" },
      ]);
      const [div] = await r.dividends();
      expect(div).toMatchObject({ sid: 0, amount: 0.24, ex_date: day("2024-01-05") });
      expect(div.record_date).toBe(day("2024-01-08"));
      expect(div.pay_date).toBe(day("2024-01-12"));
      expect(div.ratio).toBeCloseTo(1 - 0.24 / 102, 12); // close of 2024-01-04
    } finally {
      r.close();
    }
    const barReqs = server.requests("/v2/stocks/bars");
    expect(barReqs.length).toBeGreaterThan(5); // 21 bars, pages of 4
    expect(barReqs[0].params).toMatchObject({
      symbols: "AAPL,MSFT,TSLA",
      timeframe: "1Day",
      adjustment: "raw",
      start: "2024-01-02T05:00:00Z",
      end: "2024-01-11T04:59:59Z",
    });
    expect(barReqs.slice(1).every((q) => q.params.page_token)).toBe(true);
  });

  test("minute bars are labelled by their end and kept only on trading minutes", async () => {
    server.pageSize = 100;
    const bars: FakeBar[] = [];
    const add = (iso: string, c: number) =>
      bars.push({ t: iso, o: c, h: c + 0.5, l: c - 0.5, c, v: 10 });
    // 2024-07-03 closes early at 13:00 New York (17:00Z): 09:30…12:59 starts, then two after-hours.
    for (let m = 0; m < 212; m++) {
      add(new Date(Date.parse("2024-07-03T13:30:00Z") + m * 60_000).toISOString(), 1 + m);
    }
    // 2024-07-05: two pre-market bars, then 09:30…15:59.
    for (let m = -2; m < 390; m++) {
      add(new Date(Date.parse("2024-07-05T13:30:00Z") + m * 60_000).toISOString(), 1000 + m);
    }
    server.data.bars["1Min"] = { AAPL: bars };
    await run({ symbols: ["AAPL"], tframes: ["minute"], start: "2024-07-03", end: "2024-07-05" });
    expect(notes.some((n) => /dropped 4 minute bar\(s\) outside XNYS trading minutes/.test(n)))
      .toBe(true);
    const r = await load(BUNDLE, { root });
    try {
      const s1 = await r.loadMinuteSession([0], day("2024-07-03"));
      expect(s1.minutes.length).toBe(210);
      expect(s1.minutes[0]).toBe(Date.parse("2024-07-03T13:31:00Z"));
      expect(s1.fields.close![0]).toBe(1); // the 09:30-09:31 bar
      expect(s1.fields.close![209]).toBe(210); // the 12:59-13:00 bar, labelled 13:00
      const s2 = await r.loadMinuteSession([0], day("2024-07-05"));
      expect([s2.fields.close![0], s2.fields.close![389]]).toEqual([1000, 1389]);
      // Minute-only: daily bars rolled up from the minutes.
      const d = await r.loadDaily([0], day("2024-07-03"), day("2024-07-05"));
      expect([...d.fields.open!]).toEqual([1, 1000]);
      expect([...d.fields.close!]).toEqual([210, 1389]);
      expect([...d.fields.volume!]).toEqual([2100, 3900]);
    } finally {
      r.close();
    }
    expect(server.requests("/v2/stocks/bars")[0].params).toMatchObject({
      timeframe: "1Min",
      start: "2024-07-03T13:30:00Z",
      end: "2024-07-05T19:59:00Z",
    });
  });

  test("429 (Retry-After) and 5xx are retried", async () => {
    server.fail({ path: "/v2/assets", status: 500 });
    server.fail({ path: "/v2/stocks/bars", status: 429, headers: { "Retry-After": "1" } });
    server.fail({ path: "/v2/stocks/bars", status: 503 });
    server.fail({ path: "/v1/corporate-actions", status: 502 });
    await run({ symbols: ["AAPL"], start: "2024-01-02", end: "2024-01-05" });
    expect(server.log.map((q) => q.status).filter((s) => s !== 200)).toEqual([500, 429, 503, 502]);
    expect(notes.some((n) => /HTTP 429 on \/v2\/stocks\/bars, retry 1 in 5 ms/.test(n))).toBe(true);
    const r = await load(BUNDLE, { root });
    try {
      const bars = await r.loadDaily([0], day("2024-01-02"), day("2024-01-05"));
      expect([...bars.fields.close!]).toEqual([100, 101, 102, 103]);
      expect((await r.dividends()).length).toBe(1);
    } finally {
      r.close();
    }
  });

  test("the universe: a symbols file, else every active tradable asset", async () => {
    const file = join(root, "symbols.txt");
    writeFileSync(file, "# my list\nmsft\nAAPL, tsla\n\n");
    const env = environ({ HARVESTER_ALPACA_SYMBOLS_FILE: file });
    await run({ start: "2024-01-02", end: "2024-01-03" }, env);
    let r = await load(BUNDLE, { root });
    expect(r.assets.map((a) => a.symbol)).toEqual(["AAPL", "MSFT", "TSLA"]);
    r.close();
    rmSync(join(root, "data"), { recursive: true });
    server.data.assets.push(
      { symbol: "OLD", name: "Delisted", exchange: "NYSE", tradable: false, status: "inactive" },
      { symbol: "NOPE", name: "Untradable", exchange: "NYSE", tradable: false, status: "active" },
    );
    server.data.bars["1Day"].OLD = dailyBars("2024-01-02", "2024-01-03", 1);
    await run({ start: "2024-01-02", end: "2024-01-03" });
    r = await load(BUNDLE, { root });
    expect(r.assets.map((a) => a.symbol)).toEqual(["AAPL", "MSFT", "NVDA", "TSLA"]);
    r.close();
    expect(server.requests("/v2/assets").at(-1)!.params).toEqual({
      status: "active",
      asset_class: "us_equity",
    });
  });

  test("bad credentials fail clearly and leave no version", async () => {
    await expect(run({ symbols: ["AAPL"] }, environ({ APCA_API_SECRET_KEY: "wrong" })))
      .rejects.toThrow(
        /refused the credentials \(HTTP 401\).*request is not authorized.*APCA_API_KEY_ID/,
      );
    expect(listVersions(root, BUNDLE)).toEqual([]);
    const { APCA_API_KEY_ID: _, ...noKey } = environ();
    await expect(run({ symbols: ["AAPL"] }, noKey)).rejects.toThrow(
      /set APCA_API_KEY_ID in the environment or \.env/,
    );
    expect(listVersions(root, BUNDLE)).toEqual([]);
  });

  test("re-ingest copies the previous version and fetches only later sessions", async () => {
    // TSLA has no bar on 2024-01-05, so its corporate actions from that day are asked for again:
    // the dividend already stored must not be written twice.
    server.data.bars["1Day"].TSLA = server.data.bars["1Day"].TSLA.filter((b) =>
      !b.t.startsWith("2024-01-05")
    );
    server.data.corporate_actions.cash_dividends.push({
      symbol: "TSLA",
      rate: 1,
      ex_date: "2024-01-05",
    });
    const first = await run({ symbols: ["AAPL", "TSLA"], start: "2024-01-02", end: "2024-01-05" });
    server.log.length = 0;
    const options = { symbols: ["AAPL", "NVDA", "TSLA"], start: "2024-01-02", end: "2024-01-10" };
    const second = await run(options);
    expect(listVersions(root, BUNDLE).map((v) => v.name)).toEqual([first.name, second.name]);
    const firstPages = (path: string) =>
      server.requests(path).filter((q) => !q.params.page_token)
        .map((q) => `${q.params.symbols} from ${q.params.start}`);
    expect(firstPages("/v2/stocks/bars")).toEqual([
      "AAPL from 2024-01-08T05:00:00Z",
      "NVDA from 2024-01-02T05:00:00Z",
      "TSLA from 2024-01-05T05:00:00Z",
    ]);
    expect(firstPages("/v1/corporate-actions")).toEqual([
      "AAPL from 2024-01-08",
      "NVDA from 2024-01-02",
      "TSLA from 2024-01-05",
    ]);
    const r = await load(BUNDLE, { root });
    try {
      expect(r.version.name).toBe(second.name);
      const assets = r.assets.map((a) => `${a.sid}:${a.symbol}`);
      expect(assets).toEqual(["0:AAPL", "1:TSLA", "2:NVDA"]);
      const bars = await r.loadDaily([0, 1, 2], day("2024-01-02"), day("2024-01-10"));
      const close = [...bars.fields.close!];
      expect(close.slice(0, 7)).toEqual([100, 101, 102, 103, 104, 105, 106]);
      expect(close.slice(7, 14)).toEqual([200, 201, 202, NaN, 204, 205, 206]);
      expect(close.slice(14)).toEqual([500, 501, 502, 503, 504, 505, 506]);
      expect((await r.dividends()).map((d) => [d.sid, d.amount])).toEqual([[0, 0.24], [1, 1]]);
      const splits = (await r.adjustments()).filter((a) => a.kind === "split");
      expect(splits.map((a) => [a.sid, a.ratio])).toEqual([[1, 1 / 3]]);
    } finally {
      r.close();
    }
  });
});
