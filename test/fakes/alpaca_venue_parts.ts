/**
 * Parts of the fake Alpaca venue (`alpaca_trading_server.ts`) kept apart: the `trade_updates`
 * stream's handshake, `/v2/calendar`, and busted and corrected trades.
 */
import { get_calendar } from "../../calendars/mod.ts";
import { type FakeOrder, type Holding, OPEN, str } from "./alpaca_shapes.ts";

/** What the trade stream needs of the venue. */
export interface TradeStreamHost {
  received: Record<string, unknown>[];
  listening: Set<WebSocket>;
  keysOk(key: unknown, secret: unknown): boolean;
}

/**
 * `wss://…/stream`: `authenticate` → `authorization` (authorized or not, then closed), `listen` →
 * `listening`; frames are binary, as the paper endpoint sends them (docs.alpaca.markets,
 * "Websocket streaming").
 */
export function tradeStream(req: Request, host: TradeStreamHost): Response {
  const { socket: ws, response } = Deno.upgradeWebSocket(req);
  let authed = false;
  const send = (m: unknown) => ws.send(new TextEncoder().encode(JSON.stringify(m)));
  ws.onmessage = (e) => {
    const m = JSON.parse(typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data));
    host.received.push(m);
    const data = m.data ?? {};
    if (m.action === "authenticate" || m.action === "auth") {
      authed = host.keysOk(data.key_id ?? m.key, data.secret_key ?? m.secret);
      const status = authed ? "authorized" : "unauthorized";
      send({ stream: "authorization", data: { action: "authenticate", status } });
      if (!authed) ws.close();
    } else if (m.action === "listen" && authed) {
      const streams = (data.streams ?? []).filter((s: string) => s === "trade_updates");
      if (streams.length) host.listening.add(ws);
      else host.listening.delete(ws);
      send({ stream: "listening", data: { streams } });
    }
  };
  ws.onclose = () => host.listening.delete(ws);
  return response;
}

/**
 * `/v2/calendar?start&end`: trading days with their open and close (New York "HH:MM"), as
 * docs.alpaca.markets "Calendar" lists them: from the NYSE calendar, except `changes` (a closure
 * announced late: null; other hours).
 */
export function calendarDays(
  changes: ReadonlyMap<string, { open: string; close: string } | null>,
  start: string | undefined,
  end: string | undefined,
  now: number,
): { date: string; open: string; close: string }[] {
  const xnys = get_calendar("XNYS");
  const day = (s: string | undefined, d: number) =>
    s ? Date.parse(`${s.slice(0, 10)}T00:00:00Z`) : d;
  const from = day(start, Math.floor(now / 86_400_000) * 86_400_000);
  const to = day(end, from + 30 * 86_400_000);
  const hhmm = (t: number) =>
    new Date(t).toLocaleTimeString("en-GB", {
      timeZone: "America/New_York",
      hour: "2-digit",
      minute: "2-digit",
    });
  const out: { date: string; open: string; close: string }[] = [];
  for (let d = from; d <= to; d += 86_400_000) {
    const date = new Date(d).toISOString().slice(0, 10);
    const change = changes.get(date);
    if (change === null) continue;
    if (change) out.push({ date, ...change });
    else if (xnys.is_session(d)) {
      out.push({ date, open: hhmm(xnys.session_open(d)), close: hhmm(xnys.session_close(d)) });
    }
  }
  return out;
}

/** What busts and corrections change at the venue. */
export interface AmendHost {
  positions: Map<string, Holding>;
  cash: number;
  now(): number;
  emit(event: string, o: FakeOrder, extra?: Record<string, unknown>): void;
}

/**
 * Busts `qty` shares an order filled at `price` (the execution annulled): the order's filled
 * quantity and average, the position and the cash go back, and `trade_bust` carries the order as
 * it now stands, with reason TRADE_BUST (docs.alpaca.markets, "Trade updates"; changelog
 * 2026-08-12). The order keeps its status.
 */
export function bustFill(v: AmendHost, o: FakeOrder, qty: number, price: number): void {
  const before = Number(o.filled_qty), after = before - qty;
  const avg = after ? (Number(o.filled_avg_price) * before - price * qty) / after : 0;
  Object.assign(o, {
    filled_qty: str(after),
    filled_avg_price: after ? str(avg) : null,
    updated_at: new Date(v.now()).toISOString(),
  });
  const signed = (o.side === "buy" ? -1 : 1) * qty;
  const p = v.positions.get(o.symbol) ?? { qty: 0, cost: 0 };
  p.qty += signed;
  if (p.qty === 0) v.positions.delete(o.symbol);
  else v.positions.set(o.symbol, p);
  v.cash -= signed * price;
  v.emit("trade_bust", o, { reason: "TRADE_BUST" });
}

/** Corrects the price of every share an order filled to `price` (`trade_correct`). */
export function correctFill(v: AmendHost, o: FakeOrder, price: number): void {
  const qty = Number(o.filled_qty), was = Number(o.filled_avg_price);
  Object.assign(o, { filled_avg_price: str(price), updated_at: new Date(v.now()).toISOString() });
  const signed = o.side === "buy" ? qty : -qty;
  v.cash += signed * (was - price);
  const p = v.positions.get(o.symbol);
  if (p && p.qty) p.cost += (signed * (price - was)) / p.qty;
  v.emit("trade_correct", o);
}

/** `GET /v2/orders`: by status (open by default), after a time, oldest or newest first. */
export function listOrders(
  orders: readonly FakeOrder[],
  params: Record<string, string>,
): FakeOrder[] {
  const status = params.status ?? "open";
  let list = orders.filter((o) => status === "all" || (status === "open") === OPEN.has(o.status));
  if (params.after) list = list.filter((o) => o.submitted_at > params.after);
  if (params.direction !== "asc") list = [...list].reverse();
  return list.slice(0, Number(params.limit ?? 50));
}

/** `GET /v2/account/activities/FILL`: after a time, in pages that follow a `page_token`. */
export function listFills(
  activities: readonly Record<string, string>[],
  params: Record<string, string>,
): Record<string, string>[] {
  let list = activities.filter((a) => !params.after || a.transaction_time > params.after);
  if (params.direction !== "asc") list = [...list].reverse();
  const token = params.page_token;
  if (token) list = list.slice(list.findIndex((a) => a.id === token) + 1);
  return list.slice(0, Number(params.page_size ?? 100));
}
