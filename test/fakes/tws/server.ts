/**
 * The fake TWS's server side: listening on 127.0.0.1, the handshake (the server version is
 * negotiated from the client's range as TWS does, 193 unless told), one connection per client id,
 * and the answer to every request an adapter sends, encoded at the connection's version (see
 * `../fake_tws.ts` for the scenario controls tests use).
 */
import { createServer, type Server, type Socket } from "node:net";
import { env } from "node:process";
import { intlOffset } from "../../../calendars/timezone.ts";
import { FakeBook, parseFilterTime, twsTime } from "./book.ts";
import * as msg from "./messages.ts";
import type { TwsExecution, TwsOrder, TwsStock } from "./messages.ts";
import { completedOrder, openOrder } from "./order_messages.ts";
import { cancelOrder, type OrderDesk, placeOrder, type PlaceVerdict } from "./order_requests.ts";
import { parseRequest, type TwsRequest } from "./requests.ts";
import { defaultServerVersion, negotiate } from "./versions.ts";
import { type Field, frame, FrameReader } from "./wire.ts";

export type { PlaceVerdict } from "./order_requests.ts";

/** One client connection. */
export interface Conn {
  socket: Socket;
  reader: FrameReader;
  /** The server version agreed in the handshake (0 until then). */
  version: number;
  clientId: number | null;
  marketDataType: number;
  bars: Map<number, { stock: TwsStock; useRTH: boolean }>;
  ticks: Map<number, { stock: TwsStock; generic: string }>;
}

/** A message's fields, or how to build them at a connection's version. */
export type Outbound = Field[] | ((version: number) => Field[]);

export interface FakeTwsOptions {
  /** Listening port (default: any free port). */
  port?: number;
  /**
   * The highest server version this TWS speaks (176…193): it answers a client's range with the
   * highest version both speak. @default 193, or `HARVESTER_FAKE_TWS_VERSION`
   */
  serverVersion?: number;
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

/** UTC ms of the midnight (New York, TWS's zone here) that starts the day of `utcMs`. */
function twsDayStart(utcMs: number): number {
  const local = utcMs + intlOffset("America/New_York", utcMs);
  const midnight = Math.floor(local / 86_400_000) * 86_400_000;
  return midnight - intlOffset("America/New_York", midnight);
}

/** The protocol side of the fake TWS. */
export class TwsServer {
  readonly book: FakeBook;
  port: number;
  /** The highest server version this TWS speaks. */
  readonly serverVersion: number;
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
    this.serverVersion = opts.serverVersion ?? defaultServerVersion(env);
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

  /** The server versions agreed with the connected clients. */
  versions(): number[] {
    return [...this.conns].filter((c) => c.clientId !== null).map((c) => c.version);
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

  /**
   * Sends an execution, its order's state and its commission (again: e.g. an older revision), to
   * the client that placed the order only: TWS reports executions of another client's orders to
   * no one else (client 0 sees manual TWS orders only with reqAutoOpenOrders).
   */
  report(e: TwsExecution): void {
    this.toClient(e.order.clientId, (v) => msg.execDetails(v, -1, e));
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
      version: 0,
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
          // TWS answers the highest version both sides speak, with its connection time; a range
          // it cannot serve gets the connection closed.
          const v = negotiate(m.min, m.max, this.serverVersion);
          if (v === null) socket.destroy();
          else {
            conn.version = v;
            this.send(conn, [v, twsTime(this.book.now())]);
          }
        } else this.handle(conn, parseRequest(conn.version, m.fields));
      }
    });
    socket.on("close", () => this.conns.delete(conn));
    socket.on("error", () => this.conns.delete(conn));
  }

  protected send(c: Conn, out: Outbound): void {
    if (!c.socket.destroyed) {
      c.socket.write(frame(typeof out === "function" ? out(c.version) : out));
    }
  }

  protected toClient(clientId: number, out: Outbound): void {
    for (const c of this.conns) if (c.clientId === clientId) this.send(c, out);
  }

  protected sendOrderState(o: TwsOrder, c?: Conn): void {
    for (const f of [(v: number) => openOrder(v, o), msg.orderStatus(o)]) {
      if (c) this.send(c, f);
      else this.toClient(o.clientId, f);
    }
  }

  private desk(c: Conn): OrderDesk {
    return {
      book: this.book,
      verdict: (o) => this.onPlace?.(o) ?? (this.opts.autoFill ? "fill" : "rest"),
      holdCancels: this.holdCancels,
      reply: (fields) => this.send(c, fields),
      sendOrderState: (o) => this.sendOrderState(o),
      fill: (ref) => void this.fill(ref),
      confirmCancel: (ref) => this.confirmCancel(ref),
    };
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
      case "unreadable":
        // TWS answers a request it cannot read with 320, one it cannot validate with 321.
        return this.send(
          c,
          msg.errorMessage(
            r.id,
            r.code,
            `${
              r.code === 320
                ? "Error reading request. Message id " + r.id + "."
                : "Error validating request."
            } ${r.reason}`,
          ),
        );
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
          this.send(c, (v) => msg.contractData(v, r.reqId, s, r.contract.exchange || "SMART"));
        }
        return this.send(c, msg.contractDataEnd(r.reqId));
      }
      case "placeOrder":
        return placeOrder(this.desk(c), c.clientId ?? 0, r);
      case "cancelOrder":
        return cancelOrder(this.desk(c), c.clientId ?? 0, r.orderId);
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
          this.send(c, (v) => completedOrder(v, o));
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
        // "Only the current day's executions can be retrieved" (TWS API, reqExecutions): whatever
        // the filter's time, nothing from before midnight in TWS's time zone comes back.
        const since = Math.max(parseFilterTime(r.time), twsDayStart(book.now()));
        const picked = book.executions.filter((e) =>
          (!r.clientId || e.order.clientId === r.clientId) &&
          (!r.account || e.order.account === r.account) &&
          (!r.symbol || e.order.stock.symbol === r.symbol) && e.timeMs >= since
        );
        for (const e of picked) this.send(c, (v) => msg.execDetails(v, r.reqId, e));
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
        if (r.type === "reqRealTimeBars") c.bars.set(r.reqId, { stock: s, useRTH: r.useRTH });
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
}
