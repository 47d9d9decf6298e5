/**
 * The fake TWS's server side: listening on 127.0.0.1, the handshake, one connection per client
 * id, and the answer to every request an adapter sends (see `../fake_tws.ts` for the scenario
 * controls tests use).
 */
import { createServer, type Server, type Socket } from "node:net";
import { FakeBook, parseFilterTime, twsTime } from "./book.ts";
import * as msg from "./messages.ts";
import type { TwsExecution, TwsOrder, TwsStock } from "./messages.ts";
import { completedOrder, openOrder } from "./order_messages.ts";
import { parseRequest, type TwsRequest } from "./requests.ts";
import { type Field, frame, FrameReader } from "./wire.ts";

/** One client connection. */
export interface Conn {
  socket: Socket;
  reader: FrameReader;
  clientId: number | null;
  marketDataType: number;
  bars: Map<number, TwsStock>;
  ticks: Map<number, { stock: TwsStock; generic: string }>;
}

export interface FakeTwsOptions {
  /** Listening port (default: any free port). */
  port?: number;
  accounts?: string[];
  cash?: number;
  /** The fake's clock (UTC ms); execution times and currentTime come from it. */
  now?: () => number;
  /** Broker clock minus `now`, as reqCurrentTime reports it (ms). */
  skewMs?: number;
  /** Commission of one execution (default IB fixed: $0.005 a share, at least $1). */
  commission?: (shares: number, price: number) => number;
  /** Fill new MKT / LMT orders at once (default: they rest until `fill`). */
  autoFill?: boolean;
}

/** What happens to a new order: rest (default), fill at once, or a rejection with its reason. */
export type PlaceVerdict = "rest" | "fill" | { reject: string };

/** The protocol side of the fake TWS. */
export class TwsServer {
  readonly book: FakeBook;
  port: number;
  /** Every request received, with the client id of its connection. */
  readonly received: { clientId: number | null; request: TwsRequest }[] = [];
  /** Decides each new order's fate; default rest (or fill with `autoFill`). */
  onPlace: ((o: TwsOrder) => PlaceVerdict) | null = null;
  /** Leave cancels in PendingCancel until `confirmCancel` (to race fills against cancels). */
  holdCancels = false;
  protected server: Server | null = null;
  protected readonly conns = new Set<Conn>();
  protected readonly commissionOf: (shares: number, price: number) => number;

  protected constructor(protected readonly opts: FakeTwsOptions) {
    const now = opts.now ?? Date.now;
    this.book = new FakeBook(opts.accounts ?? ["DU1234567"], opts.cash ?? 1_000_000, now);
    this.port = opts.port ?? 0;
    this.commissionOf = opts.commission ??
      ((shares) => Math.round(Math.max(1, shares * 0.005) * 100) / 100);
  }

  /** (Re)starts listening, on the same port as before when there was one. */
  listen(port = this.port): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const addr = server.address();
        if (addr && typeof addr === "object") this.port = addr.port;
        this.server = server;
        resolve();
      });
    });
  }

  /** Stops listening and drops every connection (TWS shut down). */
  async stop(): Promise<void> {
    this.dropConnections();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Drops every connection but keeps listening. */
  dropConnections(): void {
    for (const c of this.conns) c.socket.destroy();
    this.conns.clear();
  }

  /** Client ids of the connections that have started the API. */
  clientIds(): number[] {
    return [...this.conns].filter((c) => c.clientId !== null).map((c) => c.clientId!);
  }

  /** Requests received of one type. */
  requests<T extends TwsRequest["type"]>(type: T): Extract<TwsRequest, { type: T }>[] {
    return this.received.filter((r) => r.request.type === type).map((r) =>
      r.request as Extract<TwsRequest, { type: T }>
    );
  }

  /** Polls until `check` returns something truthy (real time; the network is real). */
  async waitFor<T>(check: () => T | undefined | null | false, what: string, ms = 3000) {
    const end = Date.now() + ms;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > end) throw new Error(`fake TWS: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** An execution of an open order (default: all that remains, at its limit or the last price). */
  fill(
    ref: number | string,
    o: { qty?: number; price?: number; commission?: number | "later"; report?: boolean } = {},
  ): TwsExecution {
    const order = this.order(ref);
    if (!this.book.isOpen(order)) throw new Error(`fake TWS: order ${ref} is ${order.status}`);
    const shares = o.qty ?? order.quantity - order.filled;
    const price = o.price ?? order.lmtPrice ?? this.book.prices.get(order.stock.symbol) ?? 100;
    const commission = o.commission === "later"
      ? null
      : o.commission ?? this.commissionOf(shares, price);
    const e = this.book.execute(order, shares, price, commission);
    if (o.report !== false) this.report(e);
    return e;
  }

  /** Sends an execution, its order's state and its commission (again: e.g. an older revision). */
  report(e: TwsExecution): void {
    this.toClient(e.order.clientId, msg.execDetails(-1, e));
    this.sendOrderState(e.order);
    if (e.commission !== null) this.toClient(e.order.clientId, msg.commissionReport(e));
  }

  /** Confirms a cancel left pending by `holdCancels`, or cancels from TWS itself. */
  confirmCancel(ref: number | string, reason = ""): void {
    const o = this.order(ref);
    this.book.complete(o, "Cancelled", "Cancelled by Trader");
    this.sendOrderState(o);
    this.toClient(
      o.clientId,
      msg.errorMessage(o.orderId, 202, `Order Canceled - reason:${reason}`),
    );
  }

  protected order(ref: number | string): TwsOrder {
    const o = this.book.find(ref);
    if (!o) throw new Error(`fake TWS: no order ${ref}`);
    return o;
  }

  protected stock(symbol: string): TwsStock {
    const s = this.book.stocks.find((x) => x.symbol === symbol);
    if (!s) throw new Error(`fake TWS: no stock ${symbol}`);
    return s;
  }

  private accept(socket: Socket): void {
    const conn: Conn = {
      socket,
      reader: new FrameReader(),
      clientId: null,
      marketDataType: 1,
      bars: new Map(),
      ticks: new Map(),
    };
    this.conns.add(conn);
    socket.on("data", (chunk: Uint8Array) => {
      for (const m of conn.reader.push(chunk)) {
        if (m.kind === "garbage") socket.destroy();
        else if (m.kind === "hello") {
          if (m.max < msg.FAKE_TWS_SERVER_VERSION || m.min > msg.FAKE_TWS_SERVER_VERSION) {
            socket.destroy();
          } else this.send(conn, [msg.FAKE_TWS_SERVER_VERSION, twsTime(this.book.now())]);
        } else this.handle(conn, parseRequest(m.fields));
      }
    });
    socket.on("close", () => this.conns.delete(conn));
    socket.on("error", () => this.conns.delete(conn));
  }

  protected send(c: Conn, fields: Field[]): void {
    if (!c.socket.destroyed) c.socket.write(frame(fields));
  }

  protected toClient(clientId: number, fields: Field[]): void {
    for (const c of this.conns) if (c.clientId === clientId) this.send(c, fields);
  }

  protected sendOrderState(o: TwsOrder, c?: Conn): void {
    for (const f of [openOrder(o), msg.orderStatus(o)]) {
      if (c) this.send(c, f);
      else this.toClient(o.clientId, f);
    }
  }

  private handle(c: Conn, r: TwsRequest): void {
    this.received.push({ clientId: c.clientId, request: r });
    const book = this.book;
    switch (r.type) {
      case "startApi": {
        const taken = [...this.conns].some((x) => x !== c && x.clientId === r.clientId);
        if (taken) {
          this.send(
            c,
            msg.errorMessage(
              -1,
              326,
              "Unable to connect as the client id is already in use. Retry with a unique client id.",
            ),
          );
          c.socket.end();
          return;
        }
        c.clientId = r.clientId;
        this.send(c, msg.managedAccounts(book.accounts));
        this.send(c, msg.nextValidId(book.nextOrderId));
        this.send(c, msg.errorMessage(-1, 2104, "Market data farm connection is OK:usfarm"));
        this.send(c, msg.errorMessage(-1, 2106, "HMDS data farm connection is OK:ushmds"));
        this.send(c, msg.errorMessage(-1, 2158, "Sec-def data farm connection is OK:secdefnj"));
        return;
      }
      case "reqIds":
        return this.send(c, msg.nextValidId(book.nextOrderId));
      case "reqManagedAccts":
        return this.send(c, msg.managedAccounts(book.accounts));
      case "reqCurrentTime": {
        const t = book.now() + (this.opts.skewMs ?? 0);
        return this.send(c, msg.currentTime(Math.floor(t / 1000)));
      }
      case "reqContractDetails": {
        const found = book.match(r.contract);
        if (!found.length) {
          return this.send(
            c,
            msg.errorMessage(r.reqId, 200, "No security definition has been found for the request"),
          );
        }
        for (const s of found) {
          this.send(c, msg.contractData(r.reqId, s, r.contract.exchange || "SMART"));
        }
        return this.send(c, msg.contractDataEnd(r.reqId));
      }
      case "placeOrder":
        return this.place(c, r);
      case "cancelOrder": {
        const o = book.orders.find((x) => x.orderId === r.orderId && x.clientId === c.clientId);
        if (!o) {
          return this.send(
            c,
            msg.errorMessage(
              r.orderId,
              10147,
              `OrderId ${r.orderId} that needs to be cancelled is not found.`,
            ),
          );
        }
        if (!book.isOpen(o)) {
          return this.send(
            c,
            msg.errorMessage(
              r.orderId,
              10148,
              `OrderId ${r.orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`,
            ),
          );
        }
        o.status = "PendingCancel";
        this.sendOrderState(o);
        if (!this.holdCancels) this.confirmCancel(o.permId);
        return;
      }
      case "reqOpenOrders":
      case "reqAllOpenOrders": {
        for (const o of book.orders) {
          if (!book.isOpen(o)) continue;
          if (r.type === "reqOpenOrders" && o.clientId !== c.clientId) continue;
          this.sendOrderState(o, c);
        }
        return this.send(c, msg.openOrderEnd());
      }
      case "reqCompletedOrders": {
        for (const o of book.orders) {
          if (book.isOpen(o) || (r.apiOnly && o.clientId === 0)) continue;
          this.send(c, completedOrder(o));
        }
        return this.send(c, msg.completedOrdersEnd());
      }
      case "reqPositions": {
        for (const p of book.positions.values()) {
          this.send(c, msg.position(p.account, p.stock, p.amount, p.avgCost));
        }
        return this.send(c, msg.positionEnd());
      }
      case "reqAccountSummary": {
        const values = book.summary();
        for (const tag of r.tags) {
          if (tag in values) {
            this.send(
              c,
              msg.accountSummary(r.reqId, book.accounts[0], tag, values[tag].toFixed(2), "USD"),
            );
          }
        }
        return this.send(c, msg.accountSummaryEnd(r.reqId));
      }
      case "reqExecutions": {
        const since = parseFilterTime(r.time);
        const picked = book.executions.filter((e) =>
          (!r.clientId || e.order.clientId === r.clientId) &&
          (!r.account || e.order.account === r.account) &&
          (!r.symbol || e.order.stock.symbol === r.symbol) && e.timeMs >= since
        );
        for (const e of picked) this.send(c, msg.execDetails(r.reqId, e));
        this.send(c, msg.execDetailsEnd(r.reqId));
        for (const e of picked) if (e.commission !== null) this.send(c, msg.commissionReport(e));
        return;
      }
      case "reqRealTimeBars":
      case "reqMktData": {
        const s = book.match(r.contract)[0];
        if (!s) {
          return this.send(
            c,
            msg.errorMessage(r.reqId, 200, "No security definition has been found for the request"),
          );
        }
        if (r.type === "reqRealTimeBars") c.bars.set(r.reqId, s);
        else {
          c.ticks.set(r.reqId, { stock: s, generic: r.genericTicks });
          if (c.marketDataType !== 1) this.send(c, msg.marketDataType(r.reqId, c.marketDataType));
          this.send(c, msg.tickReqParams(r.reqId));
        }
        return;
      }
      case "cancelRealTimeBars":
        c.bars.delete(r.reqId);
        return;
      case "cancelMktData":
        c.ticks.delete(r.reqId);
        return;
      case "reqMarketDataType":
        c.marketDataType = r.dataType;
        return;
      default:
        return;
    }
  }

  private place(c: Conn, r: Extract<TwsRequest, { type: "placeOrder" }>): void {
    const book = this.book, clientId = c.clientId ?? 0;
    const existing = book.orders.find((o) => o.orderId === r.orderId && o.clientId === clientId);
    if (existing) {
      if (!book.isOpen(existing)) {
        return this.send(c, msg.errorMessage(r.orderId, 103, "Duplicate order id"));
      }
      existing.quantity = r.quantity;
      existing.lmtPrice = r.lmtPrice;
      existing.auxPrice = r.auxPrice;
      return this.sendOrderState(existing);
    }
    const stock = book.match(r.contract)[0];
    if (!stock) {
      return this.send(
        c,
        msg.errorMessage(r.orderId, 200, "No security definition has been found for the request"),
      );
    }
    const o = book.newOrder({
      orderId: r.orderId,
      clientId,
      stock,
      exchange: r.contract.exchange || "SMART",
      action: r.action === "SELL" ? "SELL" : "BUY",
      quantity: r.quantity,
      orderType: r.orderType,
      lmtPrice: r.lmtPrice,
      auxPrice: r.auxPrice,
      tif: r.tif,
      account: r.account || book.accounts[0],
      orderRef: r.orderRef,
    });
    const verdict = this.onPlace?.(o) ?? (this.opts.autoFill ? "fill" : "rest");
    if (typeof verdict === "object") {
      this.send(c, msg.errorMessage(o.orderId, 201, `Order rejected - reason:${verdict.reject}`));
      book.complete(o, "Cancelled", "Rejected");
      return this.sendOrderState(o);
    }
    o.status = "PreSubmitted";
    this.sendOrderState(o);
    if (o.orderType !== "MKT" && o.orderType !== "LMT") return; // stops wait, simulated at IB
    o.status = "Submitted";
    this.sendOrderState(o);
    if (verdict === "fill") this.fill(o.permId);
  }
}
