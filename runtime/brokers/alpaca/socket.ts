/**
 * A WebSocket that stays connected: each connection authenticates and subscribes (the protocol
 * is the subclass's), a lost connection is retried with backoff and jitter until it is back —
 * authenticated and re-subscribed — and a connection that stops answering pings is dropped.
 * Built on `npm:ws` (Alpaca's own SDK streams only under Node; `ws` runs under Deno and exposes
 * ping/pong, which the WHATWG WebSocket does not).
 */
import WebSocket from "ws";
import { RetriesExhausted, retrying } from "../../net/retry.ts";
import { AlpacaAuthError } from "./errors.ts";

/** The part of a `ws` socket used here. */
interface Socket {
  on(event: "open" | "pong", fn: () => void): void;
  on(event: "message", fn: (data: unknown, isBinary: boolean) => void): void;
  on(event: "close", fn: (code: number, reason: unknown) => void): void;
  on(event: "error", fn: (e: Error) => void): void;
  send(text: string): void;
  ping(): void;
  close(code?: number): void;
  terminate(): void;
}

export interface StreamOptions {
  url: string;
  keyId: string;
  secret: string;
  paper: boolean;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  reconnect: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  heartbeatMs: number;
  handshakeTimeoutMs: number;
}

/** What a stream tells its owner. */
export interface StreamListener {
  /** `disconnected` when a connection is lost; `reconnected` once it is back and subscribed. */
  status(status: "disconnected" | "reconnected", detail: string): void;
  error(message: string, code?: string): void;
}

/** Raised inside a handshake; ends the attempt without retrying (refused keys, bad feed). */
export class StreamRefused extends Error {
  override name = "StreamRefused";
}

const decoder = new TextDecoder();

function text(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof Uint8Array) return decoder.decode(data);
  if (data instanceof ArrayBuffer) return decoder.decode(new Uint8Array(data));
  if (Array.isArray(data)) return data.map(text).join("");
  return String(data);
}

export abstract class AlpacaStream {
  /** For messages: "trade_updates", "market data". */
  abstract readonly label: string;
  private ws: Socket | null = null;
  private live = false;
  private stopped = true;
  /** Stops the reconnect loop running now (null: none runs). */
  private reconnecting: AbortController | null = null;
  /** Pongs received on this stream's connections (the heartbeat's answers). */
  pongs = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private handshake?: { resolve(): void; reject(e: Error): void };

  constructor(protected readonly opts: StreamOptions, protected readonly owner: StreamListener) {}

  /** Connected, authenticated and subscribed. */
  get connected(): boolean {
    return this.live;
  }

  /** Whether the stream should be running (started and not stopped). */
  get running(): boolean {
    return !this.stopped;
  }

  /** Sends the authentication message (on open, or when the server greets). */
  protected abstract authenticate(): void;
  /** Handles one decoded message; calls `authenticated`, `ready` or `refuse` during handshakes. */
  protected abstract handle(message: unknown): void;
  /** After authentication: subscribe to everything wanted (call `ready` once acknowledged). */
  protected abstract subscribe(): void;
  /** Called after every reconnect, once subscribed (the owner re-syncs). */
  protected afterReconnect(): Promise<void> {
    return Promise.resolve();
  }

  protected send(message: unknown): void {
    this.ws?.send(JSON.stringify(message));
  }

  protected authenticated(): void {
    this.subscribe();
  }

  protected ready(): void {
    this.handshake?.resolve();
  }

  /** Ends a handshake without retrying; outside one, reports the message as an error. */
  protected refuse(message: string, auth: boolean): void {
    if (!this.handshake) return this.owner.error(`${this.label} stream: ${message}`, "stream");
    this.handshake.reject(
      auth
        ? new AlpacaAuthError(`the ${this.label} stream`, undefined, message, this.opts.paper)
        : new StreamRefused(`${this.label} stream: ${message}`),
    );
  }

  /**
   * Ends this connection as one to try again later (with backoff): inside a handshake it fails
   * like a network error would; outside one the connection is dropped and reconnected.
   */
  protected retryLater(message: string): void {
    if (this.handshake) return this.handshake.reject(new Error(`${this.label} stream: ${message}`));
    this.ws?.terminate();
  }

  /**
   * Connects and waits until authenticated and subscribed. Refused keys reject with
   * `AlpacaAuthError`; a network failure rejects too, but keeps retrying in the background.
   */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    try {
      await this.open();
    } catch (e) {
      if (e instanceof AlpacaAuthError || e instanceof StreamRefused) {
        this.stopped = true;
      } else if (!this.stopped) {
        this.owner.status("disconnected", `${this.label}: ${(e as Error).message}`);
        void this.reconnect();
      }
      throw e;
    }
  }

  /** Closes for good (no reconnect). */
  stop(): void {
    this.stopped = true;
    this.live = false;
    this.reconnecting?.abort();
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
  }

  /** One connection, through authentication and subscription. */
  private open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.opts.url) as unknown as Socket;
      this.ws = ws;
      let settled = false;
      const timer = setTimeout(() => {
        fail(new Error(`no answer within ${this.opts.handshakeTimeoutMs} ms`));
        ws.terminate();
      }, this.opts.handshakeTimeoutMs);
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.handshake = undefined;
        if (this.ws === ws) this.ws = null;
        ws.close();
        reject(e);
      };
      this.handshake = {
        resolve: () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          this.handshake = undefined;
          this.live = true;
          this.startHeartbeat(ws);
          resolve();
        },
        reject: fail,
      };
      ws.on("open", () => this.ws === ws && this.authenticate());
      ws.on("message", (data) => {
        if (this.ws !== ws) return;
        let message: unknown;
        try {
          message = JSON.parse(text(data));
        } catch {
          this.owner.error(`${this.label} stream: a message that is not JSON was ignored`);
          return;
        }
        try {
          this.handle(message);
        } catch (e) {
          this.owner.error(`${this.label} stream: ${(e as Error).message}`, "stream_message");
        }
      });
      ws.on("error", (e) => fail(e));
      ws.on("close", (code) => {
        if (!settled) return fail(new Error(`closed during the handshake (code ${code})`));
        if (this.ws !== ws) return;
        this.ws = null;
        this.live = false;
        this.stopHeartbeat();
        if (this.stopped) return;
        this.owner.status("disconnected", `${this.label}: connection closed (code ${code})`);
        void this.reconnect();
      });
    });
  }

  /** Retries until connected again (or stopped, or refused). */
  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    const stop = new AbortController();
    this.reconnecting = stop;
    const { baseDelayMs, maxDelayMs, maxAttempts } = this.opts.reconnect;
    let tries = 0;
    try {
      try {
        await retrying(`the ${this.label} stream`, () => (tries++, this.open()), {
          attempts: maxAttempts,
          baseDelayMs,
          maxDelayMs,
          waitFirst: true, // the connection just dropped: give the server a moment
          retryable: (e) => !(e instanceof AlpacaAuthError || e instanceof StreamRefused),
          signal: stop.signal,
          sleep: this.opts.sleep,
          random: this.opts.random,
        });
      } catch (e) {
        if (stop.signal.aborted) return;
        if (e instanceof RetriesExhausted) {
          this.owner.error(
            `${this.label} stream: gave up after ${maxAttempts} reconnect attempts`,
            "stream_down",
          );
          return;
        }
        this.stopped = true;
        const message = (e as Error).message;
        this.owner.error(message, e instanceof AlpacaAuthError ? "unauthorized" : "refused");
        return;
      }
      this.owner.status("reconnected", `${this.label}: back after ${tries} attempt(s)`);
      try {
        await this.afterReconnect();
      } catch (e) {
        this.owner.error(`${this.label}: re-sync failed: ${(e as Error).message}`, "resync");
      }
    } finally {
      this.reconnecting = null;
    }
  }

  private startHeartbeat(ws: Socket): void {
    if (this.opts.heartbeatMs <= 0) return;
    let answered = true;
    ws.on("pong", () => {
      answered = true;
      this.pongs++;
    });
    this.heartbeat = setInterval(() => {
      if (!answered) {
        this.owner.error(`${this.label} stream: no pong; dropping the connection`, "heartbeat");
        ws.terminate();
        return;
      }
      answered = false;
      ws.ping();
    }, this.opts.heartbeatMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
