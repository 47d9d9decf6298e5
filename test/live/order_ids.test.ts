/**
 * Client order ids are reserved durably in blocks before use, ahead of need between bars (so a
 * reservation's fsync never lands between a bar and its orders), and a live session's journal
 * shows each reservation; the warm-up before the first bar leaves no trace in the session.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { runLive } from "../../runtime/live/session.ts";
import { ClientOrderIds } from "../../runtime/orders/ids.ts";
import { tempRoot } from "../bundles/helpers.ts";

describe("ClientOrderIds", () => {
  test("mint reserves a block before the first id; refill reserves the next at half way", () => {
    const reserved: number[] = [];
    const ids = new ClientOrderIds("0a0b0c0d", 1, (upTo) => reserved.push(upTo));
    ids.refill();
    expect(reserved).toEqual([ClientOrderIds.BLOCK]);
    for (let i = 0; i < ClientOrderIds.BLOCK / 2; i++) ids.mint();
    ids.refill(); // exactly half left: not yet
    expect(reserved).toEqual([ClientOrderIds.BLOCK]);
    ids.mint();
    ids.refill();
    expect(reserved).toEqual([ClientOrderIds.BLOCK, 2 * ClientOrderIds.BLOCK]);
    // Minting up to the ceiling needs no other reservation…
    let last = "";
    while (ids.sequence <= 2 * ClientOrderIds.BLOCK) last = ids.mint();
    expect(last).toBe(`hv0a0b0c0d-${2 * ClientOrderIds.BLOCK}`);
    expect(reserved.length).toBe(2);
    // …and past it (no refill between bars) one is made on the spot: no id goes out unreserved.
    expect(ids.mint()).toBe(`hv0a0b0c0d-${2 * ClientOrderIds.BLOCK + 1}`);
    expect(reserved).toEqual([1, 2, 3].map((k) => k * ClientOrderIds.BLOCK));
  });

  test("without a reservation hook (no state file) nothing is reserved", () => {
    const ids = new ClientOrderIds("0a0b0c0d");
    ids.refill();
    expect(ids.mint()).toBe("hv0a0b0c0d-1");
  });
});

describe("a session's ids and its warm-up", () => {
  let root: string, dir: string;
  beforeAll(async () => {
    root = tempRoot();
    await ingest("zipline-examples", { root, environ: {} });
    dir = mkdtempSync(join(tmpdir(), "hv-ids-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("ids are reserved before the first bar; warm-up orders never reach the journal or the ledger", async () => {
    const strategy = await import(
      fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url))
    ) as Strategy;
    const r = await runLive({
      strategy,
      strategy_hash: "x",
      bundle: "zipline-examples",
      start: "2014-01-02",
      end: "2014-01-31",
      speed: "max",
      state_path: join(dir, "s.json"),
      journal_path: join(dir, "j.jsonl"),
      capital_base: 1_000_000,
      root,
    });
    const journal = readJournal(join(dir, "j.jsonl"));
    const firstReserve = journal.findIndex((e) => e.type === "ids_reserved");
    const firstBar = journal.findIndex((e) => e.type === "bar");
    expect(firstReserve).toBeGreaterThanOrEqual(0);
    expect(firstReserve).toBeLessThan(firstBar);
    const sent = journal.filter((e) => e.type === "order_submitted");
    expect(sent.length).toBe(r.length); // buyapple: one order per session, nothing else
    expect(sent.every((e) => String(e.client_order_id).startsWith("hv"))).toBe(true);
    expect(new Set(sent.map((e) => String(e.client_order_id).split("-")[0])).size).toBe(1);
    // The ledger holds exactly what the journal's fills add up to (no warm-up fill in it).
    const filled = journal.filter((e) => e.type === "fill").reduce(
      (n, e) => n + Number(e.amount),
      0,
    );
    expect(r.positions.filter((p) => p.date === r.positions.at(-1)!.date)[0].amount).toBe(filled);
  });
});
