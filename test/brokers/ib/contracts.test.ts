/**
 * Contracts through the IB adapter: SMART/USD stocks by symbol, qualified once and cached by
 * conId; the contracts file for symbols IB spells differently or lists on several exchanges.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { req, type Rig, rig } from "./helpers.ts";

let r: Rig;
afterEach(async () => await r?.close());

describe("IB contracts", () => {
  test("a symbol is qualified once (SMART, USD, STK) and cached", async () => {
    r = await rig();
    await r.broker.submit(req("hv3-1"));
    await r.broker.submit(req("hv3-2"));
    await r.tws.waitFor(() => r.tws.requests("placeOrder").length === 2, "two orders");
    const asked = r.tws.requests("reqContractDetails");
    expect(asked).toHaveLength(1);
    expect(asked[0].contract).toEqual({
      conId: 0,
      symbol: "AAPL",
      secType: "STK",
      exchange: "SMART",
      primaryExchange: "",
      currency: "USD",
    });
    expect(r.tws.requests("placeOrder").map((p) => p.contract.conId)).toEqual([265598, 265598]);
  });

  test("the contracts file: IB's spelling, a primary exchange; conIds map back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hv-ib-"));
    const file = join(dir, "contracts.json");
    writeFileSync(
      file,
      JSON.stringify({
        "BRK.B": { symbol: "BRK B", primaryExchange: "NYSE" },
        "SHOP": { primaryExchange: "NYSE" },
      }),
    );
    r = await rig({ broker: { contractsFile: file } });
    r.tws.book.addStock("BRK B", 72063691, "NYSE");
    r.tws.book.addStock("SHOP", 195014116, "NYSE");
    r.tws.book.addStock("SHOP", 195014117, "TSE", "USD");
    await r.broker.submit(req("hv3-3", { symbol: "BRK.B", amount: 2 }));
    await r.broker.submit(req("hv3-4", { symbol: "SHOP", amount: 2 }));
    await r.tws.waitFor(() => r.tws.requests("placeOrder").length === 2, "two orders");
    expect(r.tws.requests("placeOrder").map((p) => p.contract.conId)).toEqual([
      72063691,
      195014116,
    ]);
    const e = r.tws.fill("hv3-3", { price: 410 });
    const fill = await r.event("fill");
    expect([fill.fill.symbol, fill.fill.exec_id]).toEqual(["BRK.B", e.execId]);
    expect(await r.broker.positions()).toEqual([{ symbol: "BRK.B", amount: 2, avg_cost: 410 }]);
  });

  test("a symbol listed twice without a file entry is refused as ambiguous", async () => {
    r = await rig();
    r.tws.book.addStock("SHOP", 195014116, "NYSE");
    r.tws.book.addStock("SHOP", 195014117, "TSE");
    await r.broker.submit(req("hv3-5", { symbol: "SHOP" }));
    const e = await r.event("order", (x) => x.event === "rejected");
    expect(e.reason).toMatch(
      /SHOP: ambiguous at IB: NYSE \(conId 195014116\), TSE.*contracts file/,
    );
  });
});
