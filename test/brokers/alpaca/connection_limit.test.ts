/**
 * The market data stream's connection limit (issue 15, case 4): Alpaca allows one connection
 * per endpoint on most plans and refuses another with `[{"T":"error","code":406,"msg":"connection
 * limit exceeded"}]`. A second process, or a reconnect while Alpaca still holds the old socket, is
 * refused for a while — not for good: the adapter polls REST meanwhile and tries the stream again
 * with backoff until the slot is free.
 */
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Bar } from "../../../runtime/brokers/broker.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, POLL_MS, Sleeps, until } from "./helpers.ts";

let venue: FakeAlpacaVenue;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
});
afterEach(() => venue.close());

const bar = (t: string, c: number) => ({ t, o: c, h: c, l: c, c, v: 100 });

test("another process holds the connection: 406, REST meanwhile, the stream once it is free", async () => {
  const other = connectable(venue); // another process with the same keys
  await other.broker.subscribeBars(["AAPL"], () => {});
  expect(venue.server.streamClients).toBe(1);

  const sleeps = new Sleeps();
  sleeps.hold = (ms) => ms === POLL_MS || ms === 1000 || ms === 2000;
  const { broker, events } = connectable(venue, sleeps);
  venue.server.data.bars["1Min"] = { AAPL: [bar("2024-01-02T14:31:00Z", 186)] };
  const got: Bar[] = [];
  await broker.subscribeBars(["AAPL"], (b) => got.push(b));
  const limit = events.find((e) => e.type === "error" && e.code === "connection_limit");
  expect(limit?.type === "error" && limit.message).toMatch(
    /error 406: connection limit exceeded; another connection .* trying again with backoff/,
  );
  await until(() => got.length === 1, "a bar from REST meanwhile");
  expect(broker.health().detail).toMatch(/market data on the REST fallback/);
  // Still held: the first retry (after 1 s) is refused again, and the next waits longer.
  await until(() => sleeps.pending.includes(1000), "the first reconnect delay");
  sleeps.release((ms) => ms === 1000);
  await until(() => sleeps.pending.includes(2000), "the second, longer delay");
  await other.broker.disconnect(); // the slot is free
  await until(() => venue.server.streamClients === 0, "the old connection gone");
  sleeps.release((ms) => ms === 2000);
  await until(() => venue.server.streamClients === 1, "streaming again");
  venue.server.pushBar("AAPL", bar("2024-01-02T14:32:00Z", 187));
  await until(() => got.length === 2, "a streamed bar");
  expect(got.map((b) => b.close)).toEqual([186, 187]);
  expect(broker.health().detail).toMatch(/market data streaming/);
  expect(events.some((e) => e.type === "error" && e.code === "unauthorized")).toBe(false);
  await broker.disconnect();
  sleeps.release();
});

test("a reconnect Alpaca refuses while it still holds the old socket is tried again", async () => {
  const sleeps = new Sleeps();
  sleeps.hold = (ms) => ms === POLL_MS || ms === 1000;
  const { broker, events } = connectable(venue, sleeps);
  const got: Bar[] = [];
  await broker.subscribeBars(["AAPL"], (b) => got.push(b));
  venue.server.staleDataConnections = 1; // Alpaca has not let go of the socket it is about to lose
  venue.server.dropDataStream();
  await until(() => sleeps.pending.includes(1000), "the reconnect delay");
  sleeps.release((ms) => ms === 1000);
  await until(
    () => events.some((e) => e.type === "error" && e.code === "connection_limit"),
    "the 406",
  );
  venue.server.staleDataConnections = 0;
  await until(() => sleeps.pending.length > 0 && !sleeps.pending.includes(1000), "the next delay");
  sleeps.release((ms) => ms !== POLL_MS);
  await until(() => venue.server.streamClients === 1, "streaming again");
  venue.server.pushBar("AAPL", bar("2024-01-02T14:32:00Z", 187));
  await until(() => got.length === 1, "a streamed bar");
  await broker.disconnect();
  sleeps.release();
});
