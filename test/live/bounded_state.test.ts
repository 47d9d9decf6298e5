/**
 * A long live session's saved state stays bounded: the order manager's snapshot and the paper
 * venue's book keep every open order and only the most recent finished ones, so saving after a
 * bar costs the same in month six as on day one (the journal keeps the whole history).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { PaperBroker } from "../../runtime/brokers/paper/paper_broker.ts";
import { PaperStore } from "../../runtime/brokers/paper/paper_store.ts";
import { Ledger } from "../../runtime/finance/ledger.ts";
import { RiskGate } from "../../runtime/orders/risk.ts";
import { ASSETS, managed } from "../brokers/alpaca/manager_helpers.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hv-bounded-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function venue(): PaperBroker {
  const broker = new PaperBroker({
    assetOf: (s) => ASSETS.get(s)!,
    cash: 1e6,
    store: new PaperStore(join(dir, "paper.json")),
  });
  broker.onBars(Date.UTC(2024, 0, 2, 15), []); // the venue's clock: no bars yet
  return broker;
}

describe("bounded live state", () => {
  test("250 cancelled orders and 3 resting: the newest 200 finished and all 3 open are kept", async () => {
    const broker = venue();
    await broker.connect();
    const { manager } = managed(broker, join(dir, "journal.jsonl"), () => Date.UTC(2024, 0, 2, 15));
    const aapl = ASSETS.get("AAPL")!;
    const finished: string[] = [];
    for (let i = 0; i < 250; i++) {
      const id = (await manager.place(aapl, 1 + (i % 7), 1, null))!;
      await manager.cancel(id);
      finished.push(id);
    }
    const resting: string[] = [];
    for (let i = 0; i < 3; i++) resting.push((await manager.place(aapl, 5, 1, null))!);
    manager.drain();

    const snap = manager.snapshot();
    const ids = snap.orders.map((o) => o.client_order_id);
    expect(ids.length).toBe(203);
    expect(ids).toEqual(expect.arrayContaining(resting));
    expect(ids).toContain(finished[finished.length - 1]);
    expect(ids).toContain(finished[50]);
    expect(ids).not.toContain(finished[49]);
    expect(snap.orders.filter((o) => o.state === "CANCELED").length).toBe(200);

    broker.endOfSession(); // the venue's end-of-session snapshot
    const book = JSON.parse(readFileSync(join(dir, "paper.json"), "utf8")).book;
    expect(book.orders.length).toBe(203);
    expect(await broker.order(finished[0])).toBeNull();
    expect((await broker.order(finished[249]))?.state).toBe("CANCELED");
    expect((await broker.openOrders()).map((o) => o.client_order_id).sort()).toEqual(
      [...resting].sort(),
    );

    // A restarted venue finds the same resting orders.
    const again = venue();
    expect((await again.openOrders()).map((o) => o.client_order_id).sort()).toEqual(
      [...resting].sort(),
    );
  });
});

describe("reducing-only with orders already on their way", () => {
  test("a second closing sell is refused while the first rests; allowed once it is cancelled", async () => {
    const broker = venue();
    await broker.connect();
    const ledger = new Ledger(1e6, 0), risk = new RiskGate();
    const aapl = ASSETS.get("AAPL")!;
    ledger.process_transaction({ asset: aapl, amount: 100, dt: 0, price: 100, order_id: null });
    const { manager } = managed(broker, join(dir, "journal.jsonl"), () => Date.UTC(2024, 0, 2), {
      ledger,
      risk,
    });
    risk.setState("REDUCING", "test");
    const first = await manager.place(aapl, -100, 1, null); // resting: the limit is far away
    expect(first).not.toBeNull();
    expect(await manager.place(aapl, -50, null, null)).toBeNull();
    await manager.cancel(first!);
    manager.drain();
    expect(await manager.place(aapl, -50, null, null)).not.toBeNull();
  });
});
