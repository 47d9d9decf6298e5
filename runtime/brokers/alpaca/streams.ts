/**
 * Alpaca's two stream protocols. `trade_updates` (wss://…/stream, binary JSON frames on paper):
 * `authenticate` → `authorization: authorized`, `listen` → `listening`, then order events.
 * Market data (wss://stream.data.alpaca.markets/v2/<feed>, arrays of `T`-tagged frames): greeting
 * `success/connected`, `auth` → `success/authenticated`, `subscribe` → `subscription`, then bars
 * (`T: "b"`). Both re-authenticate and re-subscribe on every reconnect.
 */
import type { AlpacaBarJson } from "./rest.ts";
import { AlpacaStream, type StreamListener, type StreamOptions } from "./socket.ts";

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Order and fill events of the account. */
export class TradeUpdatesStream extends AlpacaStream {
  readonly label = "trade_updates";

  constructor(
    opts: StreamOptions,
    owner: StreamListener,
    private readonly onUpdate: (data: Json) => void,
    private readonly onReconnect: () => Promise<void>,
  ) {
    super(opts, owner);
  }

  protected authenticate(): void {
    this.send({
      action: "authenticate",
      data: { key_id: this.opts.keyId, secret_key: this.opts.secret },
    });
  }

  protected subscribe(): void {
    this.send({ action: "listen", data: { streams: ["trade_updates"] } });
  }

  protected handle(message: unknown): void {
    if (!isRecord(message)) throw new Error("a message that is not an object was ignored");
    const data = isRecord(message.data) ? message.data : {};
    if (message.action === "error" || typeof data.error === "string") {
      this.owner.error(`trade_updates stream: ${String(data.error_message ?? data.error)}`);
      return;
    }
    switch (message.stream) {
      case "authorization":
        if (data.status === "authorized") this.authenticated();
        else this.refuse(`authorization ${String(data.status ?? "refused")}`, true);
        return;
      case "listening": {
        const streams = Array.isArray(data.streams) ? data.streams : [];
        if (streams.includes("trade_updates")) this.ready();
        else this.refuse("Alpaca did not start the trade_updates stream", false);
        return;
      }
      case "trade_updates":
        if (!isRecord(data.order)) throw new Error("a trade update without an order was ignored");
        this.onUpdate(data);
        return;
    }
  }

  protected override afterReconnect(): Promise<void> {
    return this.onReconnect();
  }
}

/**
 * Stream error codes (docs.alpaca.markets, "Streaming market data": Errors). The keys: 401 not
 * authenticated, 402 auth failed, 404 auth timeout. What retrying cannot fix: 405 symbol limit,
 * 409 insufficient subscription, 410 invalid subscribe action for the feed. What passes: 406
 * "connection limit exceeded" — most plans allow one connection, so a second process, or a
 * reconnect while Alpaca still holds the old socket, is refused until that one is gone — 407
 * slow client, 500 internal error: tried again with backoff.
 */
const AUTH_CODES = new Set([401, 402, 404]);
const FATAL_CODES = new Set([405, 409, 410]);
const RETRY_CODES = new Set([406, 407, 500]);

/** Minute bars of a universe. */
export class BarsStream extends AlpacaStream {
  readonly label = "market data";
  private readonly symbols = new Set<string>();

  constructor(
    opts: StreamOptions,
    owner: StreamListener,
    private readonly onBar: (symbol: string, bar: AlpacaBarJson) => void,
    private readonly onReconnect: () => Promise<void>,
  ) {
    super(opts, owner);
  }

  /** Adds symbols; sent at once when connected, and on every (re)connection. */
  add(symbols: readonly string[]): void {
    const fresh = symbols.filter((s) => !this.symbols.has(s));
    for (const s of fresh) this.symbols.add(s);
    if (fresh.length && this.connected) this.send({ action: "subscribe", bars: fresh });
  }

  /** The server greets first; authentication answers the greeting. */
  protected authenticate(): void {}

  protected subscribe(): void {
    if (this.symbols.size === 0) return this.ready();
    this.send({ action: "subscribe", bars: [...this.symbols] });
  }

  protected handle(message: unknown): void {
    const frames = Array.isArray(message) ? message : [message];
    for (const f of frames) {
      if (!isRecord(f)) continue;
      switch (f.T) {
        case "success":
          if (f.msg === "connected") {
            this.send({ action: "auth", key: this.opts.keyId, secret: this.opts.secret });
          } else if (f.msg === "authenticated") this.authenticated();
          break;
        case "subscription":
          this.ready();
          break;
        case "error": {
          const code = Number(f.code), text = `error ${code}: ${String(f.msg ?? "")}`;
          if (AUTH_CODES.has(code) || FATAL_CODES.has(code)) {
            this.refuse(text, AUTH_CODES.has(code));
          } else if (RETRY_CODES.has(code)) {
            this.owner.error(
              `market data stream: ${text}; ${
                code === 406
                  ? "another connection with these keys is open (another process, or one " +
                    "Alpaca has not let go of yet): "
                  : ""
              }trying again with backoff`,
              code === 406 ? "connection_limit" : "stream",
            );
            this.retryLater(text);
          } else this.owner.error(`market data stream: ${text}`, "stream");
          break;
        }
        case "b":
          this.onBar(String(f.S), f as unknown as AlpacaBarJson);
          break;
      }
    }
  }

  protected override afterReconnect(): Promise<void> {
    return this.onReconnect();
  }
}
