/**
 * A fake TWS / IB Gateway on 127.0.0.1 that speaks the TWS API socket protocol at the server
 * version it negotiates with the client (193 by default, as a current TWS answers `@stoqey/ib`
 * 1.6.10's v100..193; down to 176), so `@stoqey/ib` runs against it unmodified: the `API\0`
 * handshake and version, startApi,
 * nextValidId, managedAccounts, the farm notices, contract details, orders answered by openOrder /
 * orderStatus / execDetails / commissionReport, cancels, open and completed orders, executions,
 * positions, the account summary, real-time bars and ticks, error messages, and dropping and
 * accepting connections (a TWS restart). Tests drive it: `fill`, `reportCommission`, `linkLost`,
 * `dropConnections`, `stop` / `listen`…
 *
 * @example
 * const tws = await FakeTws.start();
 * tws.book.addStock("AAPL", 265598);
 * // connect a client to 127.0.0.1:tws.port; place an order; then
 * tws.fill("hv1234-1", { price: 190.5 });
 */
import { get_calendar } from "../../calendars/mod.ts";
import * as msg from "./tws/messages.ts";
import type { TwsExecution, TwsOrder } from "./tws/messages.ts";
import { DONE_STATUSES } from "./tws/book.ts";
import { type FakeTwsOptions, TwsServer } from "./tws/server.ts";

export { FAKE_TWS_MAX_VERSION, FAKE_TWS_MIN_VERSION } from "./tws/versions.ts";
export type { TwsExecution, TwsOrder, TwsStock } from "./tws/messages.ts";
export type { FakeTwsOptions, PlaceVerdict } from "./tws/server.ts";

/** The regular trading hours real-time bars keep when asked to (useRTH). */
const RTH = get_calendar("XNYS");

/** A fake TWS with the controls scenarios need. */
export class FakeTws extends TwsServer {
  /** Starts a fake listening on 127.0.0.1. */
  static async start(opts: FakeTwsOptions = {}): Promise<FakeTws> {
    const tws = new FakeTws(opts);
    await tws.listen();
    return tws;
  }

  /**
   * Corrects an execution: its next revision (execId `….01` → `….02`) replaces it with the
   * corrected shares and/or price, reported with its commission (`report: false`: only
   * reqExecutions shows it; `drop`: reqExecutions no longer lists the superseded revision).
   */
  correct(
    execId: string,
    o: { qty?: number; price?: number; commission?: number; report?: boolean; drop?: boolean } = {},
  ): TwsExecution {
    const e = this.book.correct(execId, o, o.commission ?? this.commissionOf);
    if (o.report !== false) this.report(e);
    return e;
  }

  /** Reports an execution's commission that was held back (`fill(…, { commission: "later" })`). */
  reportCommission(execId: string, amount?: number): void {
    const e = this.book.executions.find((x) => x.execId === execId);
    if (!e) throw new Error(`fake TWS: no execution ${execId}`);
    this.book.charge(e, amount ?? this.commissionOf(e.shares, e.price));
    this.toClient(e.order.clientId, msg.commissionReport(e));
  }

  /** Moves an order to any status (PendingSubmit, ApiPending, Inactive…) and reports it. */
  setStatus(ref: number | string, status: string, whyHeld = ""): void {
    const o = this.order(ref);
    if (DONE_STATUSES.has(status)) this.book.complete(o, status, status);
    else o.status = status;
    o.whyHeld = whyHeld;
    this.sendOrderState(o);
  }

  /** An order entered in TWS by hand (client 0, no API order id, empty orderRef by default). */
  placeExternal(
    p: { symbol: string; amount: number; lmtPrice?: number; tif?: string; orderRef?: string },
  ): TwsOrder {
    const stock = this.stock(p.symbol);
    const o = this.book.newOrder({
      orderId: 0,
      clientId: 0,
      stock,
      exchange: "SMART",
      action: p.amount > 0 ? "BUY" : "SELL",
      quantity: Math.abs(p.amount),
      orderType: p.lmtPrice === undefined ? "MKT" : "LMT",
      lmtPrice: p.lmtPrice ?? null,
      auxPrice: null,
      tif: p.tif ?? "DAY",
      account: this.book.accounts[0],
      orderRef: p.orderRef ?? "",
    });
    o.status = "Submitted";
    return o;
  }

  /** A notice or error to every connected client (id -1: not about a request or order). */
  notice(code: number, text: string, id = -1): void {
    for (const c of this.conns) {
      if (c.clientId !== null) this.send(c, msg.errorMessage(id, code, text));
    }
  }

  /** TWS lost its connection to IB's servers (1100). */
  linkLost(): void {
    this.notice(1100, "Connectivity between IB and Trader Workstation has been lost.");
  }

  /** TWS is connected to IB again: 1101 (market data lost, resubscribe) or 1102 (maintained). */
  linkRestored(dataLost: boolean): void {
    if (dataLost) {
      this.notice(1101, "Connectivity between IB and TWS has been restored- data lost.*");
    } else this.notice(1102, "Connectivity between IB and TWS has been restored- data maintained.");
  }

  /**
   * A 5-second bar (`time`: its start, epoch seconds) to every subscriber of the symbol; not to
   * those that asked for regular trading hours only (useRTH) when it falls outside them (TWS API,
   * reqRealTimeBars: "useRTH … set to true to obtain only the RTH data"; NYSE hours here).
   */
  pushBar(
    symbol: string,
    b: { time: number; open: number; high: number; low: number; close: number; volume: number },
  ): void {
    const minuteEnd = (Math.floor(b.time / 60) + 1) * 60_000;
    const regular = RTH.is_open_on_minute(minuteEnd);
    for (const c of this.conns) {
      for (const [reqId, s] of c.bars) {
        if (s.stock.symbol === symbol && (regular || !s.useRTH)) {
          this.send(c, msg.realTimeBar(reqId, b));
        }
      }
    }
  }

  /**
   * A bust of the symbol's real-time bars: error 10225 with each subscription's request id, and
   * the subscription deactivated (no more bars until the client asks again). TWS API message
   * codes: "10225 Bust event occurred, current subscription is deactivated. Please resubscribe
   * real-time bars immediately"; backtrader PR #396 resubscribes on it.
   */
  bust(symbol: string): number {
    let n = 0;
    for (const c of this.conns) {
      for (const [reqId, s] of [...c.bars]) {
        if (s.stock.symbol !== symbol) continue;
        c.bars.delete(reqId);
        n++;
        this.send(
          c,
          msg.errorMessage(
            reqId,
            10225,
            "Bust event occurred, current subscription is deactivated. Please resubscribe " +
              "real-time bars immediately.",
          ),
        );
      }
    }
    return n;
  }

  /** A trade to every tick subscriber: RTVolume when asked for (233), else (delayed) last ticks. */
  trade(symbol: string, price: number, size: number, timeMs = this.book.now()): void {
    for (const c of this.conns) {
      for (const [reqId, t] of c.ticks) {
        if (t.stock.symbol !== symbol) continue;
        if (c.marketDataType >= 3) {
          this.send(c, msg.tickPrice(reqId, 68, price, size));
          this.send(c, msg.tickString(reqId, 88, String(Math.floor(timeMs / 1000))));
        } else if (t.generic.split(",").includes("233")) {
          this.send(
            c,
            msg.tickString(reqId, 48, `${price};${size};${timeMs};${size};${price};true`),
          );
        } else this.send(c, msg.tickPrice(reqId, 4, price, size));
      }
    }
  }
}

/**
 * Standalone: `deno run -A test/fakes/fake_tws.ts --port 7497 --stock AAPL:265598:190 --auto-fill`
 * serves a fake TWS until interrupted (for trying `harvester live --broker ib` by hand).
 */
if (import.meta.main) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "7497" },
      stock: { type: "string", multiple: true, default: [] },
      "auto-fill": { type: "boolean", default: false },
    },
  });
  const tws = await FakeTws.start({ port: Number(values.port), autoFill: values["auto-fill"] });
  for (const [i, spec] of values.stock.entries()) {
    const [symbol, conId, price] = spec.split(":");
    tws.book.addStock(symbol, Number(conId) || 100_000 + i);
    if (price) tws.book.prices.set(symbol, Number(price));
  }
  console.log(`fake TWS (server version up to ${tws.serverVersion}) on 127.0.0.1:${tws.port}`);
}
