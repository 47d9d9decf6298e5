/**
 * The recorder's side tables made a block of rows at a time (`blocked.ts`, what CSV and JSON
 * writing reads) hold exactly the whole columns (what Arrow, Parquet and `Results.positions` read)
 * at every block size, with rows restored from an earlier process of a live session first: the
 * amounts and cost bases carried forward per asset, each day's date spread over its rows, the
 * limit/stop flags split from one stored field and the reasons by row all cross block edges.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { type Asset, commission, slippage } from "../../runtime/api/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { RecorderData } from "../../runtime/metrics/recorder.ts";
import {
  ordersTable,
  positionsTable,
  recordsOf,
  transactionsTable,
} from "../../runtime/metrics/tables/recorder_tables.ts";
import type { Table } from "../../runtime/metrics/tables/table.ts";
import { tempRoot } from "../bundles/helpers.ts";

let data: RecorderData;
/** Each order's limit and stop price as placed (null for none), by id. */
const placed = new Map<string, [number | null, number | null]>();
beforeAll(async () => {
  const root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  const r = await run_algorithm({
    root,
    no_benchmark: true,
    start: "2012-01-03",
    end: "2012-06-29",
    strategy: {
      initialize: async (c) => {
        c.assets = await c.symbols("AAPL", "MSFT", "INTC");
        c.set_slippage(new slippage.NoSlippage());
        c.set_commission(new commission.PerShare({ cost: 0.01, min_trade_cost: 1 }));
        c.n = 0;
      },
      handle_data: async (c, d) => {
        c.n++;
        for (const [k, a] of (c.assets as Asset[]).entries()) {
          const price = await d.current(a, "price") as number;
          const place = async (n: number, limit: number | null, stop: number | null) => {
            const id = await c.order(a, n, {
              ...(limit === null ? {} : { limit_price: limit }),
              ...(stop === null ? {} : { stop_price: stop }),
            });
            if (id) placed.set(String(id), [limit, stop]);
          };
          if ((c.n + k) % 3 === 0) await place(10 + k, null, null); // market, fills next bar
          // Limit and stop orders, some far from the price (they stay open, then are cancelled).
          if ((c.n + k) % 5 === 0) await place(-4, price * 1.001, null);
          if ((c.n + k) % 7 === 0) await place(5, price * 0.5, null);
          if ((c.n + k) % 8 === 0) await place(3, null, price * 1.01);
          if ((c.n + k) % 13 === 0) await place(-2, price * 0.98, price * 0.99);
        }
        if (c.n % 11 === 0) {
          const open = await c.get_open_orders() as Map<unknown, { id: string }[]>;
          for (const list of open.values()) for (const o of list) await c.cancel_order(o.id);
        }
      },
    },
  });
  // A backtest's orders carry no reason (a refusal is the strategy's error before any order);
  // a live session's rejected ones do: some rows get one, on and off block edges.
  const reasons = new Map([0, 3, 4, 63, 64, 100].map((k) => [k, `reason ${k}`]));
  data = { ...r.recorderData, oReason: reasons };
});

const TABLES = { positions: positionsTable, orders: ordersTable, transactions: transactionsTable };

/** Every column's values as a plain array, block after block. */
function fromBlocks(t: Table, size: number): unknown[][] {
  let out: unknown[][] | undefined, blocks = 0;
  for (const b of t.blocks!(size)) {
    expect(b.length).toBeLessThanOrEqual(size);
    out ??= b.columns.map(() => []);
    // A block's arrays are reused: the last block's may hold more than its rows.
    b.columns.forEach((c, j) =>
      out![j].push(...Array.from(c.values as ArrayLike<unknown>).slice(0, b.length))
    );
    blocks++;
  }
  expect(blocks).toBe(Math.max(1, Math.ceil(t.length / size)));
  return out!;
}

const whole = (t: Table) => t.columns.map((c) => Array.from(c.values as ArrayLike<unknown>));

describe.each(Object.entries(TABLES))("%s table", (_, make) => {
  test("blocks of any size hold the whole columns", () => {
    const all = whole(make(data));
    expect(all[0].length).toBeGreaterThan(40);
    for (const size of [1, 7, 64, 1_000_000]) {
      expect(fromBlocks(make(data), size), `blocks of ${size}`).toEqual(all);
    }
  });

  test("restored rows come first, then the recorded ones, across block edges", () => {
    const recorded = make(data);
    const rows = recordsOf<Record<string, unknown>>(recorded);
    // An earlier process's rows: the run's own first rows, with their symbols marked.
    const restored: Record<string, unknown>[] = rows.slice(0, 9).map((r) => ({
      ...r,
      symbol: `old ${r.symbol}`,
    }));
    const before = { positions: [], orders: [], transactions: [] } as Record<string, unknown[]>;
    const key = make === positionsTable
      ? "positions"
      : make === ordersTable
      ? "orders"
      : "transactions";
    before[key] = restored.map((r) =>
      key === "orders"
        ? {
          ...r,
          limit: Number.isNaN(r.limit) ? null : r.limit,
          stop: Number.isNaN(r.stop) ? null : r.stop,
        }
        : r
    );
    const t = make({ ...data, before: before as unknown as RecorderData["before"] });
    expect(t.length).toBe(recorded.length + 9);
    const expected = whole(recorded).map((values, j) => {
      const c = recorded.columns[j];
      const head = restored.map((r) => r[c.name]);
      return [...(c.kind === "bool" ? head.map((v) => (v ? 1 : 0)) : head), ...values];
    });
    const got = whole(t);
    // Flags are stored as 0/1 in a block and as given in the whole table: compare truth.
    const truth = (cols: unknown[][]) =>
      cols.map((vs, j) => t.columns[j].kind === "bool" ? vs.map(Boolean) : vs);
    expect(truth(got)).toEqual(truth(expected));
    for (const size of [1, 4, 10, 333]) {
      const blocks = fromBlocks(make({ ...data, before: before as never }), size);
      expect(truth(blocks), `blocks of ${size}`).toEqual(truth(expected));
    }
  });
});

test("the run made every kind of row the tables carry", () => {
  const orders = recordsOf<Record<string, unknown>>(ordersTable(data));
  expect(orders.some((o) => o.limit_reached)).toBe(true);
  expect(orders.some((o) => !o.limit_reached)).toBe(true);
  expect(orders.some((o) => o.status === 2)).toBe(true); // cancelled
  // Every row carries its order's own limit and stop prices (NaN for none), of all four kinds.
  const kinds = new Set<string>();
  for (const o of orders) {
    const [limit, stop] = placed.get(String(o.order_id))!;
    // Placed prices are rounded to the cent (zipline's asymmetric rounding), and a stop-limit
    // order whose stop was reached carries on as a limit order, its stop gone (zipline's
    // `Order.check_triggers` sets `stop = None`).
    const [gotLimit, gotStop] = [o.limit as number, o.stop as number];
    if (limit === null) expect(gotLimit).toBeNaN();
    else expect(Math.abs(gotLimit - limit)).toBeLessThanOrEqual(0.01);
    if (stop === null || (Number.isNaN(gotStop) && limit !== null)) expect(gotStop).toBeNaN();
    else expect(Math.abs(gotStop - stop)).toBeLessThanOrEqual(0.01);
    kinds.add(`${limit !== null} ${stop !== null}`);
  }
  expect(kinds.size).toBe(4);
  const positions = recordsOf<Record<string, unknown>>(positionsTable(data));
  expect(new Set(positions.map((p) => p.amount)).size).toBeGreaterThan(5);
});
