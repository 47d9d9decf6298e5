/**
 * `harvester live … --broker alpaca` and `--broker ib` as subprocesses against the fakes as the
 * real services behave (issue 15): a strategy that buys, reverses its position through zero, and
 * places and cancels a resting order, on an accelerated clock shared with the fakes
 * (`HARVESTER_LIVE_CLOCK`). Alpaca's data stream is refused at first with 406 (another connection
 * holds it) and the session trades on REST bars until the stream is free; the fake TWS answers
 * server version 193 and busts the real-time bars mid-session (10225), which the adapter
 * resubscribes. Each run is bounded in time.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { FakeAlpacaVenue } from "../fakes/alpaca_trading_server.ts";
import { FakeTws } from "../fakes/fake_tws.ts";
import { tempRoot } from "../bundles/helpers.ts";

const SPEED = 30;
const START = "2014-05-01T13:29:00Z", END = "2014-05-01T13:36:00Z";
const MINUTES = [...get_calendar("XNYS").session_minutes(Date.parse("2014-05-01"))];

/** Buys 10, reverses to short 15 in one order, then rests a stop order and cancels it. */
const STRATEGY = `
export async function initialize(context) {
  context.asset = await context.symbol("AAPL");
  context.n = 0;
}
export async function handle_data(context, data) {
  context.n += 1;
  const price = await data.current(context.asset, "price");
  if (context.n === 1) await context.order(context.asset, 10);
  if (context.n === 2) await context.order(context.asset, -25);
  if (context.n === 3) {
    context.resting = await context.order(context.asset, 5, { stop_price: Math.round(price * 1.2) });
  }
  if (context.n === 4) await context.cancel_order(context.resting);
}
`;

let root: string;
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

/** The session's accelerated clock, which the fakes share. */
function accelerated() {
  const start = Date.parse(START), anchor = Date.now();
  return { anchor, now: () => start + (Date.now() - anchor) * SPEED };
}

/** Runs `harvester live` with the strategy above; the pusher gets each minute as it completes. */
async function live(
  clock: ReturnType<typeof accelerated>,
  args: string[],
  env: Record<string, string>,
  push: (minute: number, index: number) => void,
) {
  const dir = tempRoot("hv-live-broker-cli-");
  const algo = join(dir, "flip.ts"), state = join(dir, "s.json");
  writeFileSync(algo, STRATEGY);
  const { anchor, now } = clock;
  let next = 0;
  const pusher = setInterval(() => {
    while (MINUTES[next] <= now()) push(MINUTES[next], next++);
  }, 10);
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "runtime/cli/main.ts",
        "live",
        algo,
        ...args,
        "--bundle",
        "zipline-examples",
        "--end",
        END,
        "--state-file",
        state,
      ],
      env: { HARVESTER_ROOT: root, HARVESTER_LIVE_CLOCK: `${START}@${anchor}x${SPEED}`, ...env },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(50_000),
    }).output();
    expect(out.code, new TextDecoder().decode(out.stderr)).toBe(0);
    return { journal: readJournal(`${state}.journal.jsonl`) };
  } finally {
    clearInterval(pusher);
  }
}

const price = (index: number) => 590 + index / 10;

let venue: FakeAlpacaVenue;
afterAll(async () => await venue?.close());

test(
  "alpaca: buy, reverse through zero (two orders at Alpaca), cancel; a 406 survived",
  async () => {
    venue = FakeAlpacaVenue.start();
    venue.autoFill = true;
    venue.cash = 1_000_000;
    venue.server.data.bars["1Min"] = { AAPL: [] };
    // Another process holds the one data connection the plan allows, for the first minutes.
    venue.server.staleDataConnections = 1;
    const clock = accelerated();
    venue.now = clock.now;
    const { journal } = await live(
      clock,
      ["--broker", "alpaca", "--paper"],
      {
        APCA_API_KEY_ID: venue.server.keys.id,
        APCA_API_SECRET_KEY: venue.server.keys.secret,
        APCA_API_BASE_URL: venue.url,
        APCA_API_DATA_URL: venue.url,
        APCA_API_DATA_STREAM_URL: `${venue.url.replace("http", "ws")}/v2/iex`,
      },
      (m, i) => {
        const c = price(i);
        const bar = { t: new Date(m - 60_000).toISOString(), o: c, h: c, l: c, c, v: 10 };
        venue.prices = { AAPL: c };
        venue.server.data.bars["1Min"].AAPL.push(bar); // what REST's latest bars answer
        venue.server.pushBar("AAPL", bar);
        if (m >= Date.parse("2014-05-01T13:32:00Z")) venue.server.staleDataConnections = 0;
      },
    );
    const errors = journal.filter((e) => e.type === "error").map((e) => e.code);
    expect(errors).toContain("connection_limit");
    expect(errors).toContain("reversal_split");
    expect(errors).not.toContain("unauthorized");
    expect(journal.filter((e) => e.type === "minute_bar").length).toBeGreaterThanOrEqual(4);
    const sent = journal.filter((e) => e.type === "order_submitted").map((e) => e.client_order_id);
    expect(sent).toHaveLength(3);
    const [buy, flip, resting] = sent as string[];
    expect(venue.order(buy)?.status).toBe("filled");
    expect(venue.order(flip)).toBeUndefined(); // refused in one piece…
    expect([venue.order(`${flip}.c`)?.qty, venue.order(`${flip}.o`)?.qty]).toEqual(["10", "15"]);
    expect(venue.order(resting)?.status).toBe("canceled");
    expect(venue.positions.get("AAPL")?.qty).toBe(-15);
    const last = (id: string) =>
      journal.findLast((e) => e.type === "order_transition" && e.client_order_id === id)?.to;
    expect([last(buy), last(flip), last(resting)]).toEqual(["FILLED", "FILLED", "CANCELED"]);
    expect(journal.filter((e) => e.type === "fill").map((e) => e.amount)).toEqual([10, -10, -15]);
    // The stream came back once the other connection let go (a subscription needs authentication).
    expect(venue.server.streamReceived.some((m) => m.action === "subscribe")).toBe(true);
  },
  60_000,
);

test("ib at server version 193: buy, reverse, cancel; a real-time bar bust survived", async () => {
  const clock = accelerated();
  const tws = await FakeTws.start({ autoFill: true, now: clock.now });
  const busted: number[] = [];
  try {
    expect(tws.serverVersion).toBe(193);
    tws.book.addStock("AAPL", 265598, "NASDAQ");
    tws.book.prices.set("AAPL", 590);
    const { journal } = await live(
      clock,
      ["--broker", "ib", "--broker-uri", `127.0.0.1:${tws.port}:7`],
      {},
      (m, i) => {
        const c = price(i);
        tws.book.prices.set("AAPL", c);
        if (m === Date.parse("2014-05-01T13:33:00Z")) busted.push(tws.bust("AAPL"));
        for (let k = 0; k < 12; k++) {
          const time = (m - 60_000) / 1000 + 5 * k;
          tws.pushBar("AAPL", { time, open: c, high: c, low: c, close: c, volume: 10 });
        }
      },
    );
    expect(tws.versions()).toEqual([]); // the session has disconnected
    expect(busted).toEqual([1]);
    expect(journal.some((e) => e.type === "error" && e.code === "10225")).toBe(true);
    const subs = tws.requests("reqRealTimeBars");
    expect(subs.length).toBe(2); // subscribed, then again after the bust
    const bars = journal.filter((e) => e.type === "minute_bar").map((e) => e.time as number);
    expect(bars.some((t) => t > Date.parse("2014-05-01T13:34:00Z"))).toBe(true); // after it
    const sent = journal.filter((e) => e.type === "order_submitted").map((e) => e.client_order_id);
    expect(sent).toHaveLength(3);
    const [buy, flip, resting] = sent as string[];
    const at = (ref: string) => tws.book.find(ref);
    expect([at(buy)?.status, at(flip)?.status, at(resting)?.status]).toEqual([
      "Filled",
      "Filled",
      "Cancelled",
    ]);
    expect([...tws.book.positions.values()].map((p) => p.amount)).toEqual([-15]);
    const placed = tws.requests("placeOrder");
    expect(placed.map((p) => [p.orderType, p.action, p.quantity])).toEqual([
      ["MKT", "BUY", 10],
      ["MKT", "SELL", 25], // IB takes a reversal as one order
      ["STP", "BUY", 5],
    ]);
    expect(tws.received.filter((r) => r.request.type === "unreadable")).toEqual([]);
  } finally {
    await tws.stop();
  }
}, 60_000);
