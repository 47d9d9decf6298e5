/**
 * `harvester live strategies/buyapple.ts --broker alpaca` as a subprocess against the fake Alpaca
 * (base URLs from the environment, as the adapter documents), on an accelerated clock shared with
 * the fake (`HARVESTER_LIVE_CLOCK`, 20× real time): the fake pushes each minute's bar as it
 * completes and fills market orders; the run ends at `--end` with orders filled, journal and state.
 * The same with `--broker ib --broker-uri` against the fake TWS (5-second bars).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { FakeAlpacaVenue } from "../fakes/alpaca_trading_server.ts";
import { FakeTws } from "../fakes/fake_tws.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { launchArgs } from "../../runtime/cli/launch_args.ts";

const algoPath = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));
const SPEED = 20;
let root: string, venue: FakeAlpacaVenue;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  venue = FakeAlpacaVenue.start();
});
afterAll(async () => await venue.close());

test("harvester live --broker alpaca: a short session against the fake venue", async () => {
  const start = Date.parse("2014-05-01T13:29:00Z"), anchor = Date.now();
  const now = () => start + (Date.now() - anchor) * SPEED;
  venue.now = now;
  venue.autoFill = true;
  venue.cash = 1_000_000;
  const minutes = [...get_calendar("XNYS").session_minutes(Date.parse("2014-05-01"))];
  let next = 0;
  const pusher = setInterval(() => {
    while (minutes[next] <= now()) {
      const m = minutes[next++], c = 590 + next / 10;
      venue.prices = { AAPL: c };
      venue.server.pushBar("AAPL", {
        t: new Date(m - 60_000).toISOString(),
        o: c,
        h: c,
        l: c,
        c,
        v: 10,
      });
    }
  }, 10);
  const dir = tempRoot("hv-live-cli-");
  const state = join(dir, "s.json");
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        ...launchArgs(new URL("../../", import.meta.url)),
        "live",
        algoPath,
        "--broker",
        "alpaca",
        "--paper",
        "--bundle",
        "zipline-examples",
        "--end",
        "2014-05-01T13:34:00Z",
        "--state-file",
        state,
        "--capital-base",
        "100000",
      ],
      env: {
        HARVESTER_ROOT: root,
        HARVESTER_LIVE_CLOCK: `2014-05-01T13:29:00Z@${anchor}x${SPEED}`,
        APCA_API_KEY_ID: venue.server.keys.id,
        APCA_API_SECRET_KEY: venue.server.keys.secret,
        APCA_API_BASE_URL: venue.url,
        APCA_API_DATA_URL: venue.url,
        APCA_API_DATA_STREAM_URL: `${venue.url.replace("http", "ws")}/v2/iex`,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    expect(out.code, err).toBe(0);
    const journal = readJournal(`${state}.journal.jsonl`);
    const bars = journal.filter((e) => e.type === "minute_bar");
    expect(bars.length).toBeGreaterThanOrEqual(2);
    const submitted = journal.filter((e) => e.type === "order_submitted").length;
    expect(submitted).toBeGreaterThanOrEqual(2);
    expect(venue.orders.length).toBeGreaterThanOrEqual(2);
    expect(venue.orders.every((o) => o.status === "filled")).toBe(true);
    expect(journal.some((e) => e.type === "fill")).toBe(true);
    expect(journal.some((e) => e.type === "session_end")).toBe(true);
    expect(existsSync(state)).toBe(true);
  } finally {
    clearInterval(pusher);
  }
}, 60_000);

test("harvester live --broker ib: a short session against the fake TWS", async () => {
  const start = Date.parse("2014-05-01T13:29:00Z"), anchor = Date.now();
  const now = () => start + (Date.now() - anchor) * SPEED;
  const tws = await FakeTws.start({ now, autoFill: true });
  tws.book.addStock("AAPL", 265598, "NASDAQ");
  tws.book.prices.set("AAPL", 590);
  const minutes = [...get_calendar("XNYS").session_minutes(Date.parse("2014-05-01"))];
  let next = 0;
  const pusher = setInterval(() => {
    while (minutes[next] <= now()) {
      const m = minutes[next++], c = 590 + next / 10;
      tws.book.prices.set("AAPL", c);
      for (let k = 0; k < 12; k++) {
        const time = (m - 60_000) / 1000 + 5 * k;
        tws.pushBar("AAPL", { time, open: c, high: c, low: c, close: c, volume: 10 });
      }
    }
  }, 10);
  const dir = tempRoot("hv-live-cli-ib-");
  const state = join(dir, "s.json");
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        ...launchArgs(new URL("../../", import.meta.url)),
        "live",
        algoPath,
        "--broker",
        "ib",
        "--broker-uri",
        `127.0.0.1:${tws.port}:7`,
        "--bundle",
        "zipline-examples",
        "--end",
        "2014-05-01T13:34:00Z",
        "--state-file",
        state,
      ],
      env: {
        HARVESTER_ROOT: root,
        HARVESTER_LIVE_CLOCK: `2014-05-01T13:29:00Z@${anchor}x${SPEED}`,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    expect(out.code, new TextDecoder().decode(out.stderr)).toBe(0);
    const journal = readJournal(`${state}.journal.jsonl`);
    expect(journal.filter((e) => e.type === "minute_bar").length).toBeGreaterThanOrEqual(2);
    expect(journal.filter((e) => e.type === "order_submitted").length).toBeGreaterThanOrEqual(2);
    expect(tws.book.orders.length).toBeGreaterThanOrEqual(2);
    expect(tws.book.orders.every((o) => o.status === "Filled")).toBe(true);
    expect(journal.some((e) => e.type === "fill")).toBe(true);
    expect(existsSync(state)).toBe(true);
  } finally {
    clearInterval(pusher);
    await tws.stop();
  }
}, 60_000);
