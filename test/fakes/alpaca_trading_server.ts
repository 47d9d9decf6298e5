/**
 * A fake Alpaca trading venue on 127.0.0.1 for the broker adapter's tests, built on the fake
 * data server (which also serves market data and its stream): the trading REST API (orders,
 * replace, cancel, account, positions, clock, FILL activities) and the `trade_updates` stream
 * (authenticate → authorization, listen → listening, events as binary frames like the paper
 * endpoint), in Alpaca's JSON (decimal strings, RFC 3339 times). Tests script it per scenario:
 * fill and partially fill orders, reject or expire them, drop the stream, refuse reconnects,
 * lose an order response, fail requests (`server.fail`).
 * Shapes follow docs.alpaca.markets (orders, trade_updates, account activities, stock stream).
 */
import { FakeAlpacaServer, json, type RouteContext } from "./alpaca_data_server.ts";
import { orderRefusal, qtyAvailable, type VenueState } from "./alpaca_rules.ts";
import {
  bustFill,
  calendarDays,
  correctFill,
  listFills,
  listOrders,
  tradeStream,
} from "./alpaca_venue_parts.ts";
import {
  accountJson,
  type FakeOrder,
  newOrder,
  OPEN,
  positionsJson,
  str,
  TIFS,
  TYPES,
} from "./alpaca_shapes.ts";

export class FakeAlpacaVenue {
  readonly orders: FakeOrder[] = [];
  /** FILL account activities, as `/v2/account/activities/FILL` lists them. */
  readonly activities: Record<string, string>[] = [];
  readonly positions = new Map<string, { qty: number; cost: number }>();
  cash = 100_000;
  /** Last prices, for the buying-power check of market orders. */
  prices: Record<string, number> = {};
  /** The venue's clock (UTC ms). */
  now: () => number = () => Date.parse("2024-01-02T15:00:00Z");
  /** New orders become `new` at once (else they stay `accepted`). */
  autoAccept = true;
  /** Market orders fill at once at `prices[symbol]` (else they rest until `fill`). */
  autoFill = false;
  /** Cancels complete at once (else `pending_cancel` until `completeCancel`). */
  instantCancel = true;
  /** Refuse WebSocket upgrades (a stream that cannot be reached). */
  tradeStreamDown = false;
  /** Day trades in the last 5 business days (PDT protection, see alpaca_rules.ts). */
  dayTrades = 0;
  /** Symbols whose position was opened or added to today. */
  readonly openedToday = new Set<string>();
  /** The account may not trade ("account is not authorized to trade"). */
  tradingBlocked = false;
  /** The account may sell short. */
  shortingEnabled = true;
  /**
   * `/v2/calendar` answers from the NYSE calendar, except these dates (YYYY-MM-DD): a late-announced
   * closure (null) or other hours ("HH:MM" New York), as Alpaca publishes them.
   */
  readonly calendarChanges = new Map<string, { open: string; close: string } | null>();
  /** What the trade stream received and sent (the data stream is `server`'s). */
  readonly received: Record<string, unknown>[] = [];
  readonly sent: Record<string, unknown>[] = [];
  private lose: ("gateway" | "hang")[] = [];
  private readonly hung: (() => void)[] = [];
  private readonly listening = new Set<WebSocket>();

  private constructor(readonly server: FakeAlpacaServer) {
    server.onUpgrade = (req, url) => this.upgrade(req, url);
    server.route("POST", "/v2/orders", (c) => this.post(c));
    server.route("GET", "/v2/orders", (c) => json(listOrders(this.orders, c.params)));
    server.route("GET", "/v2/orders:by_client_order_id", (c) => {
      const o = this.order(c.params.client_order_id ?? "");
      return o ? json(o) : json({ code: 40410000, message: "order not found" }, 404);
    });
    server.route("GET", /\/v2\/orders\/([^/]+)/, (c) => {
      const o = this.orders.find((o) => o.id === c.match![1]);
      return o ? json(o) : json({ code: 40410000, message: "order not found" }, 404);
    });
    server.route("DELETE", /\/v2\/orders\/([^/]+)/, (c) => this.cancel(c.match![1]));
    server.route("PATCH", /\/v2\/orders\/([^/]+)/, (c) => this.replace(c));
    server.route("GET", "/v2/account", () => json(this.account()));
    server.route("GET", "/v2/positions", () => json(this.positionList()));
    server.route("GET", /\/v2\/positions\/([^/]+)/, (c) => {
      const p = this.positionList().find((x) => x.symbol === decodeURIComponent(c.match![1]));
      return p ? json(p) : json({ code: 40410000, message: "position does not exist" }, 404);
    });
    server.route(
      "GET",
      "/v2/calendar",
      (c) => json(calendarDays(this.calendarChanges, c.params.start, c.params.end, this.now())),
    );
    server.route("GET", "/v2/clock", () =>
      json({
        timestamp: new Date(this.now()).toISOString(),
        is_open: true,
        next_open: "2024-01-03T14:30:00Z",
        next_close: "2024-01-02T21:00:00Z",
      }));
    server.route(
      "GET",
      "/v2/account/activities/FILL",
      (c) => json(listFills(this.activities, c.params)),
    );
  }

  /** Starts on a free port of 127.0.0.1 (`server.data` still serves market data). */
  static start(): FakeAlpacaVenue {
    return new FakeAlpacaVenue(FakeAlpacaServer.start());
  }

  get url(): string {
    return this.server.url;
  }

  /** Options for `createAlpacaBroker` pointing at this venue (no `.env` is read). */
  options() {
    return {
      env: { APCA_API_KEY_ID: this.server.keys.id, APCA_API_SECRET_KEY: this.server.keys.secret },
      baseUrl: this.url,
      dataUrl: this.url,
      dataStreamUrl: `${this.url.replace("http", "ws")}/v2/iex`,
      dotenvPath: "/nonexistent/.env",
    };
  }

  /**
   * The next `n` order POSTs are processed, but their answers are lost: a gateway's 504 in their
   * place, or no answer at all (the client times out).
   */
  loseOrderResponses(n = 1, how: "gateway" | "hang" = "gateway"): void {
    for (let i = 0; i < n; i++) this.lose.push(how);
  }

  /** An order by client order id. */
  order(clientOrderId: string): FakeOrder | undefined {
    return this.orders.find((o) => o.client_order_id === clientOrderId);
  }

  private time(): string {
    return new Date(this.now()).toISOString();
  }

  private id(): string {
    return crypto.randomUUID();
  }

  /** Sends a trade update to every listening client (none while the stream is down: lost). */
  emit(event: string, o: FakeOrder, extra: Record<string, unknown> = {}): void {
    const msg = {
      stream: "trade_updates",
      data: { event, execution_id: this.id(), order: { ...o }, timestamp: this.time(), ...extra },
    };
    this.sent.push(msg);
    const frame = new TextEncoder().encode(JSON.stringify(msg)); // binary, as paper sends
    for (const ws of this.listening) ws.send(frame);
  }

  /** Executes `qty` shares of an order at `price`: position, cash, activity, stream event. */
  fill(clientOrderId: string, qty: number, price: number) {
    const o = this.order(clientOrderId);
    if (!o || !OPEN.has(o.status)) throw new Error(`fake: ${clientOrderId} is not open`);
    const before = Number(o.filled_qty), cum = before + qty, total = Number(o.qty);
    if (cum > total) throw new Error(`fake: overfill of ${clientOrderId}`);
    const avg = (Number(o.filled_avg_price ?? 0) * before + price * qty) / cum;
    const done = cum === total;
    Object.assign(o, {
      filled_qty: str(cum),
      filled_avg_price: str(avg),
      status: done
        ? "filled"
        : o.status === "pending_cancel"
        ? "pending_cancel"
        : "partially_filled",
      filled_at: done ? this.time() : o.filled_at,
      updated_at: this.time(),
    });
    const signed = o.side === "buy" ? qty : -qty;
    const p = this.positions.get(o.symbol) ?? { qty: 0, cost: 0 };
    const next = p.qty + signed;
    p.cost = next === 0
      ? 0
      : Math.sign(next) === Math.sign(p.qty) || p.qty === 0
      ? (p.cost * p.qty + price * signed) / next
      : price;
    if (Math.abs(next) > Math.abs(p.qty)) this.openedToday.add(o.symbol);
    p.qty = next;
    if (next === 0) this.positions.delete(o.symbol);
    else this.positions.set(o.symbol, p);
    this.cash -= signed * price;
    const t = this.time();
    const a = {
      id: `${t.replace(/\D/g, "").slice(0, 17)}::${this.id()}`,
      activity_type: "FILL" as const,
      transaction_time: t,
      type: done ? "fill" as const : "partial_fill" as const,
      price: str(price),
      qty: str(qty),
      side: o.side,
      symbol: o.symbol,
      leaves_qty: str(total - cum),
      order_id: o.id,
      cum_qty: str(cum),
      order_status: o.status,
    };
    this.activities.push(a);
    this.emit(done ? "fill" : "partial_fill", o, {
      price: str(price),
      qty: str(qty),
      position_qty: str(next),
    });
    return a;
  }

  /** Busts `qty` shares an order filled at `price` (`trade_bust`; see alpaca_venue_parts.ts). */
  bust(clientOrderId: string, qty: number, price: number): void {
    bustFill(this, this.order(clientOrderId)!, qty, price);
  }

  /** Corrects the price of every share an order filled to `price` (`trade_correct`). */
  correct(clientOrderId: string, price: number): void {
    correctFill(this, this.order(clientOrderId)!, price);
  }

  /** Ends an order from the venue's side: `rejected`, `expired`, `canceled`, or `done_for_day`. */
  finish(clientOrderId: string, status: string, reason?: string): void {
    const o = this.order(clientOrderId)!;
    const t = this.time();
    Object.assign(o, { status, updated_at: t });
    if (status === "expired") o.expired_at = t;
    if (status === "canceled") o.canceled_at = t;
    if (status === "rejected") o.failed_at = t;
    this.emit(status, o, reason ? { reason } : {});
  }

  /** Completes a `pending_cancel`. */
  completeCancel(clientOrderId: string): void {
    this.finish(clientOrderId, "canceled");
  }

  /** Closes every trade_updates connection (clients must reconnect). */
  dropTradeStream(): void {
    for (const ws of this.listening) ws.close(1011, "dropped");
    this.listening.clear();
  }

  /** Clients listening to trade_updates now. */
  get listeners(): number {
    return this.listening.size;
  }

  async close(): Promise<void> {
    for (const release of this.hung) release();
    this.dropTradeStream();
    await this.server.close();
  }

  private account() {
    return accountJson(this.cash, this.positions, this.prices, {
      tradingBlocked: this.tradingBlocked,
      shortingEnabled: this.shortingEnabled,
    });
  }

  private positionList() {
    return positionsJson(this.positions, this.prices, (s) => qtyAvailable(this.state(), s));
  }

  /** What the order checks read (alpaca_rules.ts). */
  private state(): VenueState {
    return {
      orders: this.orders,
      positions: this.positions,
      cash: this.cash,
      prices: this.prices,
      equity: Number(this.account().equity),
      dayTrades: this.dayTrades,
      openedToday: this.openedToday,
      tradingBlocked: this.tradingBlocked,
      shortingEnabled: this.shortingEnabled,
    };
  }

  private async post(c: RouteContext): Promise<Response> {
    const b = await c.req.json() as Record<string, string | undefined>;
    const bad = (message: string) => json({ code: 42210000, message }, 422);
    if (!b.symbol) return bad("symbol is required");
    if (!(Number(b.qty) > 0)) return bad("qty must be > 0");
    if (b.side !== "buy" && b.side !== "sell") return bad("invalid side");
    const assets = this.server.data.assets;
    if (assets.length && !assets.some((a) => a.symbol === b.symbol && a.tradable)) {
      return json({ code: 40010001, message: `asset "${b.symbol}" not found` }, 422);
    }
    if (!TYPES.includes(b.type ?? "")) return bad(`invalid order type: ${b.type}`);
    if (!TIFS.includes(b.time_in_force ?? "")) return bad("invalid time_in_force");
    if (b.type?.includes("limit") && !(Number(b.limit_price) > 0)) {
      return bad("limit_price is required for limit orders");
    }
    if (b.type?.startsWith("stop") && !(Number(b.stop_price) > 0)) {
      return bad("stop_price is required for stop orders");
    }
    if (b.client_order_id && this.order(b.client_order_id)) {
      return json({ code: 40010001, message: "client_order_id must be unique" }, 422);
    }
    const refused = orderRefusal(this.state(), {
      symbol: b.symbol,
      side: b.side,
      qty: Number(b.qty),
      limit_price: b.limit_price,
    });
    if (refused) return json(refused.body, refused.status);
    const o = newOrder(b, this.id(), this.time());
    this.orders.push(o);
    const answer = { ...o };
    if (this.autoAccept) {
      o.status = "new";
      this.emit("new", o);
    }
    const px = this.prices[o.symbol];
    if (this.autoFill && o.type === "market" && px > 0) {
      this.fill(o.client_order_id, Number(o.qty), px);
    }
    return this.answer(answer);
  }

  /** The order response — or, when scripted, a gateway error or a response that never ends. */
  private answer(body: unknown): Response {
    const how = this.lose.shift();
    if (how === "gateway") return json({ message: "upstream request timeout" }, 504);
    if (how === "hang") {
      const stream = new ReadableStream({
        start: (ctl) =>
          this.hung.push(() => {
            try {
              ctl.close();
            } catch { /* the client gave up first */ }
          }),
      });
      return new Response(stream, { headers: { "content-type": "application/json" } });
    }
    return json(body);
  }

  private cancel(id: string): Response {
    const o = this.orders.find((o) => o.id === id);
    if (!o) return json({ code: 40410000, message: "order not found" }, 404);
    if (!OPEN.has(o.status) || o.status === "pending_cancel") {
      return json({ code: 42210000, message: "order is not cancelable" }, 422);
    }
    if (this.instantCancel) this.finish(o.client_order_id, "canceled");
    else {
      o.status = "pending_cancel";
      this.emit("pending_cancel", o);
    }
    return new Response(null, { status: 204 });
  }

  private async replace(c: RouteContext): Promise<Response> {
    const old = this.orders.find((o) => o.id === c.match![1]);
    if (!old) return json({ code: 40410000, message: "order not found" }, 404);
    if (!OPEN.has(old.status) || old.status === "pending_cancel") {
      return json({ code: 42210000, message: "order is not replaceable" }, 422);
    }
    const b = await c.req.json() as Record<string, string | undefined>;
    const t = this.time();
    const next: FakeOrder = {
      ...old,
      id: this.id(),
      client_order_id: b.client_order_id ?? this.id(),
      created_at: t,
      updated_at: t,
      submitted_at: t,
      replaces: old.id,
      qty: b.qty ?? str(Number(old.qty) - Number(old.filled_qty)),
      filled_qty: "0",
      filled_avg_price: null,
      limit_price: b.limit_price ?? old.limit_price,
      stop_price: b.stop_price ?? old.stop_price,
      status: "accepted",
    };
    Object.assign(old, { status: "replaced", replaced_by: next.id, replaced_at: t, updated_at: t });
    this.orders.push(next);
    this.emit("replaced", old);
    next.status = "new";
    this.emit("new", next);
    return json({ ...next, status: "accepted" });
  }

  private upgrade(req: Request, url: URL): Response {
    if (url.pathname !== "/stream") return json({ message: "endpoint not found" }, 404);
    if (this.tradeStreamDown) return json({ message: "service unavailable" }, 503);
    return tradeStream(req, {
      received: this.received,
      listening: this.listening,
      keysOk: (k, s) => this.server.streamKeysOk(k, s),
    });
  }
}
