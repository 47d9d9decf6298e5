/**
 * The alpaca_api ingest under Alpaca's limits (issue 15, case 5): a 429 is waited out until
 * X-RateLimit-Reset, a whole 60 s window if need be and as many times as it takes, without
 * spending the attempts kept for failures; a free plan's "recent SIP data" 403 is reported as
 * what it is, not as refused keys. The fake server keeps its own clock, moved by the client's
 * waits (no real minute passes).
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { AlpacaClient, type AlpacaConfig } from "../../bundles/ingest/alpaca_client.ts";
import { IngestError } from "../../bundles/errors.ts";
import { emptyData, FakeAlpacaServer, type FakeBar } from "../fakes/alpaca_data_server.ts";

let server: FakeAlpacaServer, clock: number, waits: number[];

beforeEach(() => {
  server = FakeAlpacaServer.start();
  clock = Date.parse("2024-01-16T15:00:00Z");
  waits = [];
  server.now = () => clock;
  server.data = emptyData();
  const bars: FakeBar[] = [];
  for (let d = 2; d <= 12; d++) {
    const t = `2024-01-${String(d).padStart(2, "0")}T05:00:00Z`;
    bars.push({ t, o: d, h: d, l: d, c: d, v: 100 });
  }
  server.data.bars["1Day"] = { AAPL: bars };
});
afterEach(() => server.close());

function client(over: Partial<AlpacaConfig["retry"]> = {}, feed?: string): AlpacaClient {
  return new AlpacaClient({
    feed,
    keyId: server.keys.id,
    secret: server.keys.secret,
    tradingUrl: server.url,
    dataUrl: server.url,
    retry: {
      sleep: (ms) => {
        waits.push(ms);
        clock += ms; // the server's clock moves with the client's waits
        return Promise.resolve();
      },
      now: () => clock,
      baseDelayMs: 1,
      maxDelayMs: 5,
      ...over,
    },
  });
}

async function allBars(c: AlpacaClient, end = "2024-01-12T23:59:59Z") {
  const out: FakeBar[] = [];
  for await (const page of c.bars(["AAPL"], "1Day", "2024-01-01T00:00:00Z", end)) {
    out.push(...(page.AAPL ?? []));
  }
  return out;
}

describe("Alpaca rate limits in the ingest", () => {
  test("one request a 60 s window: every 429 waits until X-RateLimit-Reset, more than 5 times", async () => {
    server.rateLimit = { limit: 1, windowMs: 60_000 };
    const bars = await allBars(client()); // 3 pages of 5: 3 requests, 2 of them limited at first
    expect(bars.map((b) => b.c)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const limited = server.log.filter((r) => r.status === 429).length;
    expect(limited).toBe(2);
    // Each wait reaches the next window: just past 60 s from the window's start.
    expect(waits.every((w) => w > 59_000 && w <= 61_250)).toBe(true);

    server.log.length = 0;
    server.pageSize = 1; // 11 pages: 10 waits, twice the attempts kept for failures
    const again = await allBars(client());
    expect(again).toHaveLength(11);
    expect(server.log.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(10);
  });

  test("the patience has an end: a limit that never lifts is a clear error", async () => {
    server.rateLimit = { limit: 0, windowMs: 60_000 };
    const e = await allBars(client({ rateLimitPatienceMs: 200_000 })).catch((x) => x);
    expect(e).toBeInstanceOf(IngestError);
    expect(e.message).toMatch(/kept rate-limiting .*HTTP 429.*try again later/);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(200_000);
  });

  test("a free plan asking recent SIP data: the plan is named, not the keys", async () => {
    server.plan = "free";
    const e = await allBars(client({}, "sip"), new Date(clock).toISOString()).catch((x) => x);
    expect(e).toBeInstanceOf(IngestError);
    expect(e.message).toMatch(/data plan does not allow.*recent SIP data.*APCA_DATA_FEED=iex/);
    expect(e.message).toMatch(/keys themselves were accepted/);
    expect(e.message).not.toMatch(/refused the credentials/);
    // Older data, or the IEX feed, is fine on the free plan.
    expect(await allBars(client({}, "sip"), "2024-01-12T23:59:59Z")).toHaveLength(11);
    expect(await allBars(client({}, "iex"), new Date(clock).toISOString())).toHaveLength(11);
  });
});
