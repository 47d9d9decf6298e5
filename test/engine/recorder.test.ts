/** Results tables stay intact however many rows a run records (the buffers grow many times). */
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { commission, slippage } from "../../runtime/api/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

describe("recorder", () => {
  test("thousands of transactions: each row is its own fill", async () => {
    const r = await run_algorithm({
      root,
      no_benchmark: true,
      start: "2006-01-01",
      end: "2013-12-31",
      strategy: {
        initialize: async (c) => {
          c.assets = await c.symbols("AAPL", "MSFT", "INTC");
          c.set_slippage(new slippage.NoSlippage());
          c.set_commission(new commission.NoCommission());
          c.n = 0;
        },
        handle_data: async (c) => {
          c.n++;
          for (const a of c.assets) await c.order(a, c.n % 2 ? 3 : -3);
        },
      },
    });
    expect(r.transactions.length).toBeGreaterThan(5000);
    const closes = new Map<string, number>();
    for (const p of r.positions) closes.set(`${p.date}:${p.sid}`, p.last_sale_price);
    for (const t of r.transactions) {
      expect(Math.abs(t.amount)).toBe(3);
      expect(t.dt).toBeGreaterThan(t.date); // the session's close, after its midnight label
      expect(t.dt - t.date).toBeLessThan(86_400_000);
      expect(t.price).toBeGreaterThan(0);
    }
    // Fills alternate +3/-3 per asset: the running sum per asset never leaves [-3, 3].
    const held = new Map<number, number>();
    for (const t of r.transactions) {
      held.set(t.sid, (held.get(t.sid) ?? 0) + t.amount);
      expect(Math.abs(held.get(t.sid)!)).toBeLessThanOrEqual(3);
    }
  });
});
