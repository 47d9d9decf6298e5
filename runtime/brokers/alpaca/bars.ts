/**
 * Minute bars for a universe: from the market data stream while it is up, from the latest-bars
 * REST endpoint (polled) while it is down. Each bar is labelled by the minute it ends (the
 * calendars' minutes), dropped when the calendar says the market is closed then (extended
 * hours), and delivered once per symbol and minute, in time order, whichever source had it first.
 */
import type { Bar } from "../broker.ts";
import type { MinuteFilter } from "./config.ts";
import { toBar } from "./mapping.ts";
import type { AlpacaRest } from "./rest.ts";
import { AlpacaAuthError } from "./errors.ts";
import type { StreamListener, StreamOptions } from "./socket.ts";
import { BarsStream } from "./streams.ts";

export interface BarFeedOptions {
  pollMs: number;
  calendar: MinuteFilter | null;
  sleep: (ms: number) => Promise<void>;
}

export class BarFeed {
  readonly stream: BarsStream;
  private readonly wanted = new Set<string>();
  private readonly last = new Map<string, number>();
  private listener: ((bar: Bar) => void) | null = null;
  private polling = false;
  private stopped = false;
  /** Bars dropped because the calendar has no trading minute at their time. */
  dropped = 0;
  /** Bars delivered from the REST fallback. */
  polled = 0;

  constructor(
    private readonly rest: AlpacaRest,
    streamOptions: StreamOptions,
    private readonly opts: BarFeedOptions,
    private readonly owner: StreamListener,
  ) {
    this.stream = new BarsStream(
      streamOptions,
      {
        status: (status, detail) => {
          owner.status(status, detail);
          if (status === "disconnected") this.startPolling();
        },
        error: (message, code) => {
          owner.error(message, code);
          if (!this.stream.running) this.startPolling();
        },
      },
      (symbol, raw) => this.deliver(toBar(symbol, raw)),
      () => Promise.resolve(),
    );
  }

  /** Whether bars come from the stream (false: REST fallback or not started). */
  get streaming(): boolean {
    return this.stream.connected;
  }

  /**
   * Starts bars for more symbols (one receiver: the latest `onBar` gets every symbol's bars).
   * Resolves once the stream is subscribed, or once the REST fallback has taken over.
   */
  async subscribe(symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    this.listener = onBar;
    this.stopped = false;
    for (const s of symbols) this.wanted.add(s);
    this.stream.add(symbols);
    if (!this.stream.running) {
      try {
        await this.stream.start();
      } catch (e) {
        this.owner.error(
          `market data stream unavailable (${(e as Error).message}); polling latest bars`,
          e instanceof AlpacaAuthError ? "unauthorized" : "stream_down",
        );
      }
    }
    if (!this.stream.connected) this.startPolling();
  }

  /** The latest bar of each symbol, from REST (labelled by its end minute). */
  async latest(symbols: readonly string[]): Promise<Map<string, Bar>> {
    const raw = await this.rest.latestBars(symbols);
    const out = new Map<string, Bar>();
    for (const s of symbols) if (raw[s]) out.set(s, toBar(s, raw[s]));
    return out;
  }

  stop(): void {
    this.stopped = true;
    this.stream.stop();
  }

  private deliver(bar: Bar): boolean {
    if (!this.wanted.has(bar.symbol)) return false;
    if (this.opts.calendar && !this.opts.calendar.is_open_on_minute(bar.time)) {
      this.dropped++;
      return false;
    }
    if (bar.time <= (this.last.get(bar.symbol) ?? -Infinity)) return false;
    this.last.set(bar.symbol, bar.time);
    this.listener?.(bar);
    return true;
  }

  /** Polls latest bars until the stream is back (or the feed is stopped). */
  private startPolling(): void {
    if (this.polling || this.stopped || this.wanted.size === 0) return;
    this.polling = true;
    void (async () => {
      try {
        while (!this.stopped && !this.stream.connected) {
          try {
            const bars = await this.latest([...this.wanted]);
            for (const b of [...bars.values()].sort((a, b) => a.time - b.time)) {
              if (this.deliver(b)) this.polled++;
            }
          } catch (e) {
            this.owner.error(`latest bars: ${(e as Error).message}`, "poll");
          }
          if (this.stopped || this.stream.connected) break;
          await this.opts.sleep(this.opts.pollMs);
        }
      } finally {
        this.polling = false;
      }
    })();
  }
}
