/**
 * One API session with TWS / IB Gateway on one client id, through `@stoqey/ib`: the handshake
 * (done when nextValidId arrives), requests with their own ids, answers collected until their
 * end marker, and reconnection with exponential backoff and jitter (`runtime/net/retry.ts`) when
 * the socket drops. Every attempt uses
 * a fresh `IBApi`, so a dead socket's late events can never disturb the live one.
 */
import { EventName, IBApi } from "@stoqey/ib";
import { RetriesExhausted, retrying } from "../../net/retry.ts";
import {
  classifyCode,
  IbConnectError,
  type IbEndpoint,
  IbNotConnectedError,
  IbRequestError,
  IbTimeoutError,
} from "./errors.ts";

/** An event handler of any IB event (the arguments depend on the event). */
// deno-lint-ignore no-explicit-any
export type IbHandler = (...args: any[]) => void;

interface Emitter {
  on(event: string, handler: IbHandler): unknown;
  once(event: string, handler: IbHandler): unknown;
  removeListener(event: string, handler: IbHandler): unknown;
  removeAllListeners(): unknown;
}
const emitter = (ib: IBApi) => ib as unknown as Emitter;

/** Timing and retry policy of a connection. */
export interface ConnectionPolicy {
  /** Waits between reconnection attempts (injected in tests). */
  sleep(ms: number): Promise<void>;
  /** Jitter source in [0, 1) (injected in tests). */
  random(): number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** First delay before reconnecting; doubled after each failure up to `maxDelayMs` (±50 %). */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts before giving up (0 or Infinity: keep trying, a session outlives a TWS restart). */
  maxAttempts: number;
  maxRequestsPerSecond: number;
}

/** What the owner of a connection is told. */
export interface ConnectionHooks {
  /** The socket dropped; reconnection has started. */
  lost(detail: string): void;
  /** One reconnection attempt failed. */
  retryFailed(attempt: number, error: Error, nextDelayMs: number): void;
  /** Connected again after `lost`. */
  restored(): void;
  /** Reconnection stopped after `maxAttempts`. */
  gaveUp(error: Error): void;
  /** A notice or error that no request claimed (`id` -1: about nothing in particular). */
  message(code: number, text: string, id: number): void;
}

/** What a request's body gets: its id, the API, and ways to listen and finish. */
export interface RequestScope<T> {
  readonly ib: IBApi;
  readonly reqId: number;
  /** Listens for the request's lifetime. */
  on(event: EventName, handler: IbHandler): void;
  done(value: T): void;
  fail(error: Error): void;
}

const HANDSHAKE_FAILURES = new Set([326, 502, 503, 506, 507]);

export class IbConnection {
  private api: IBApi | null = null;
  private state: "closed" | "connecting" | "up" | "reconnecting" = "closed";
  private readonly handlers: [EventName, IbHandler][] = [];
  private readonly requestErrors = new Map<number, (code: number, text: string) => void>();
  private readonly inflight = new Set<(e: Error) => void>();
  private handshakeFailed: ((code: number, text: string) => void) | null = null;
  /** Stops the reconnect loop running now. */
  private reconnecting: AbortController | null = null;
  private reqSeq = 900_000_000;
  private lastVersion = 0;
  /** The next order id TWS allows (nextValidId), advanced as orders are placed. */
  nextOrderId = 0;
  /** Accounts this login may trade (managedAccounts). */
  accounts: string[] = [];

  constructor(
    readonly endpoint: IbEndpoint,
    private readonly policy: ConnectionPolicy,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** Whether the session is up (handshake done, socket open). */
  get up(): boolean {
    return this.state === "up";
  }

  /** The server version agreed with TWS in the handshake (0 before the first connection). */
  get serverVersion(): number {
    const v = this.api?.serverVersion;
    if (v) this.lastVersion = v;
    return this.lastVersion;
  }

  /** The live API; throws IbNotConnectedError when down. */
  ib(what: string): IBApi {
    if (this.state !== "up" || !this.api) throw new IbNotConnectedError(what, this.endpoint);
    return this.api;
  }

  /** Listens to an event on every API instance this connection will use. */
  on(event: EventName, handler: IbHandler): void {
    this.handlers.push([event, handler]);
    if (this.api) emitter(this.api).on(event, handler);
  }

  /** Connects once; throws IbConnectError when TWS cannot be reached or refuses. */
  async open(): Promise<void> {
    if (this.state === "up") return;
    this.state = "connecting";
    try {
      await this.handshake();
      this.state = "up";
    } catch (e) {
      this.state = "closed";
      throw e;
    }
  }

  /** Closes for good (no reconnection). */
  close(): void {
    this.state = "closed";
    this.reconnecting?.abort();
    this.handshakeFailed?.(502, "closed while connecting");
    this.abortAll("the connection was closed");
    this.drop();
  }

  /** A fresh request id (kept far above order ids, which share the error id space). */
  nextReqId(): number {
    return ++this.reqSeq;
  }

  /** Takes the next order id. */
  takeOrderId(): number {
    return this.nextOrderId++;
  }

  /**
   * Runs one request: `body` listens and sends; the promise settles when it calls `done`/`fail`,
   * when TWS reports an error for its id (warnings excepted), on disconnect, or on timeout.
   */
  request<T>(
    what: string,
    body: (scope: RequestScope<T>) => void,
    timeoutMs = this.policy.requestTimeoutMs,
  ): Promise<T> {
    let ib: IBApi;
    try {
      ib = this.ib(what);
    } catch (e) {
      return Promise.reject(e);
    }
    const reqId = this.nextReqId(), listeners: [EventName, IbHandler][] = [];
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, value?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const [e, h] of listeners) emitter(ib).removeListener(e, h);
        this.requestErrors.delete(reqId);
        this.inflight.delete(abort);
        if (error) reject(error);
        else resolve(value as T);
      };
      const abort = (e: Error) => finish(e);
      this.inflight.add(abort);
      this.requestErrors.set(reqId, (code, text) => {
        const kind = classifyCode(code);
        if (kind === "warning" || kind === "farm_ok") this.hooks.message(code, text, reqId);
        else finish(new IbRequestError(what, code, text));
      });
      const timer = setTimeout(() => finish(new IbTimeoutError(what, timeoutMs)), timeoutMs);
      try {
        body({
          ib,
          reqId,
          on: (e, h) => {
            listeners.push([e, h]);
            emitter(ib).on(e, h);
          },
          done: (v) => finish(null, v),
          fail: (e) => finish(e),
        });
      } catch (e) {
        finish(e as Error);
      }
    });
  }

  private handshake(): Promise<void> {
    const { host, port, clientId } = this.endpoint;
    const ib = new IBApi({
      host,
      port,
      clientId,
      maxReqPerSec: this.policy.maxRequestsPerSecond,
    });
    this.api = ib;
    const em = emitter(ib);
    for (const [e, h] of this.handlers) em.on(e, h);
    em.on(EventName.managedAccounts, (list: string) => {
      this.accounts = list.split(",").map((a) => a.trim()).filter(Boolean);
    });
    em.on(EventName.nextValidId, (id: number) => {
      this.nextOrderId = Math.max(this.nextOrderId, id);
    });
    em.on(EventName.error, (err: Error, code: number, id: number) => {
      this.route(code, err?.message ?? String(err), id ?? -1);
    });
    em.on(EventName.info, (text: string, code: number) => this.route(code, text, -1));
    em.on(EventName.disconnected, () => this.onDisconnected(ib));
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.handshakeFailed = null;
        if (!error) return resolve();
        if (this.api === ib) this.drop();
        reject(error);
      };
      const timer = setTimeout(
        () => finish(new IbConnectError(this.endpoint, 502, "no answer to the API handshake")),
        this.policy.connectTimeoutMs,
      );
      this.handshakeFailed = (code, text) => finish(new IbConnectError(this.endpoint, code, text));
      em.once(EventName.nextValidId, () => finish());
      em.once(EventName.disconnected, () => {
        finish(
          new IbConnectError(this.endpoint, 502, "the connection closed during the handshake"),
        );
      });
      ib.connect(clientId);
    });
  }

  private route(code: number, text: string, id: number): void {
    if (this.handshakeFailed && HANDSHAKE_FAILURES.has(code)) {
      return this.handshakeFailed(code, text);
    }
    const claimed = id >= 0 ? this.requestErrors.get(id) : undefined;
    if (claimed) claimed(code, text);
    else this.hooks.message(code, text, id);
  }

  private drop(): void {
    const ib = this.api;
    this.api = null;
    if (!ib) return;
    emitter(ib).removeAllListeners();
    ib.disconnect();
  }

  private abortAll(reason: string): void {
    for (const abort of [...this.inflight]) {
      abort(new IbNotConnectedError(reason, this.endpoint));
    }
  }

  private onDisconnected(ib: IBApi): void {
    if (ib !== this.api || this.state !== "up") return;
    this.state = "reconnecting";
    this.abortAll("the connection dropped");
    this.drop();
    this.hooks.lost(
      `the connection to TWS/IB Gateway at ${this.endpoint.host}:${this.endpoint.port} dropped`,
    );
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    const stop = new AbortController();
    this.reconnecting = stop;
    const { initialDelayMs, maxDelayMs, maxAttempts, sleep, random } = this.policy;
    try {
      await retrying(`reconnecting to ${this.endpoint.host}:${this.endpoint.port}`, () => {
        // Closed (or opened anew) meanwhile: this loop is no longer wanted.
        if (this.state !== "reconnecting") stop.abort();
        stop.signal.throwIfAborted();
        return this.handshake();
      }, {
        attempts: Number.isFinite(maxAttempts) ? maxAttempts : 0,
        baseDelayMs: initialDelayMs,
        maxDelayMs,
        waitFirst: true,
        signal: stop.signal,
        sleep: (ms) => sleep(ms),
        random: () => random(),
        onRetry: (r) => this.hooks.retryFailed(r.attempt, r.error as Error, r.delayMs),
      });
    } catch (e) {
      if (stop.signal.aborted || this.state !== "reconnecting") return;
      this.state = "closed";
      this.hooks.gaveUp((e instanceof RetriesExhausted ? e.cause : e) as Error);
      return;
    } finally {
      if (this.reconnecting === stop) this.reconnecting = null;
    }
    if (this.state !== "reconnecting") return this.drop();
    this.state = "up";
    this.hooks.restored();
  }
}
