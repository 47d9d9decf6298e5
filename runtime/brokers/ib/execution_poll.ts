/**
 * Executions of orders other clients placed (another API client id, TWS by hand) reach this client
 * only when asked: TWS sends execDetails to the client that placed the order (the TWS API's
 * "Executions and Commissions"; only client 0 with reqAutoOpenOrders, or the master client id,
 * sees the others). So while connected the adapter asks reqExecutions every `everyMs` and books
 * what no event brought, from the time it connected: a session's ledger then agrees with TWS
 * without waiting for a restart. The wait is wall time (timers that do not keep the process
 * alive), never the session's accelerated or simulated clock.
 */
import { clearTimeout, setTimeout } from "node:timers";

export class ExecutionPoll {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private active = false;

  constructor(
    private readonly everyMs: number,
    private readonly check: () => Promise<unknown>,
    private readonly failed: (e: Error) => void,
  ) {}

  /** Starts asking (again); a non-positive interval leaves it off. */
  start(): void {
    if (this.everyMs <= 0) return;
    this.active = true;
    this.schedule();
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.active || this.timer) return;
    this.timer = setTimeout(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.running) return;
    this.running = true;
    try {
      await this.check();
    } catch (e) {
      this.failed(e as Error);
    } finally {
      this.running = false;
    }
    this.schedule();
  }
}
