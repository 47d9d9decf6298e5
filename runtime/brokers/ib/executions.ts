/**
 * Executions joined with their commissions. TWS reports an execution (execDetails) and, separately
 * and later, its commission (commissionReport), keyed by execId. A fill is final when both have
 * arrived, or when the commission is still missing after a timeout (then it books with commission
 * 0 and the late commission is reported on its own).
 */
import type { Execution } from "@stoqey/ib";
import { intlOffset } from "../../../calendars/timezone.ts";

/** One execution, in our terms. */
export interface ExecRecord {
  execId: string;
  orderId: number;
  clientId: number;
  permId: number;
  orderRef: string;
  symbol: string;
  /** Signed shares: positive bought, negative sold. */
  amount: number;
  price: number;
  /** UTC ms. */
  time: number;
}

/** The record of an execDetails message. */
export function execRecordOf(e: Execution, symbol: string, now: number): ExecRecord {
  const shares = Math.abs(e.shares ?? 0);
  const t = e.time ? parseIbTime(e.time) : NaN;
  return {
    execId: e.execId ?? "",
    orderId: e.orderId ?? 0,
    clientId: e.clientId ?? 0,
    permId: e.permId ?? 0,
    orderRef: e.orderRef ?? "",
    symbol,
    amount: e.side === "SLD" ? -shares : shares,
    price: e.price ?? 0,
    time: Number.isNaN(t) ? now : t,
  };
}

/** Local wall time of a zone → UTC ms. */
function zonedToUtc(localMs: number, tz: string): number {
  const first = localMs - intlOffset(tz, localMs);
  return localMs - intlOffset(tz, first);
}

/**
 * A TWS time: `yyyymmdd-hh:mm:ss` (UTC), `yyyymmdd hh:mm:ss <zone>`, or `yyyymmdd  hh:mm:ss`
 * (TWS's own zone, `fallbackZone`); epoch seconds are accepted too. NaN when unreadable.
 */
export function parseIbTime(s: string, fallbackZone = "America/New_York"): number {
  const t = s.trim();
  if (/^\d{9,10}$/.test(t)) return Number(t) * 1000;
  const m = /^(\d{4})(\d{2})(\d{2})(-|\s+)(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(t);
  if (!m) return NaN;
  const local = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[5], +m[6], +m[7]);
  if (m[4] === "-") return local;
  const zone = m[8] ?? fallbackZone;
  try {
    return zonedToUtc(local, zone);
  } catch {
    return zonedToUtc(local, fallbackZone);
  }
}

/** An execution filter time: `yyyymmdd-hh:mm:ss` in UTC. */
export function filterTime(utcMs: number): string {
  const d = new Date(Math.max(0, utcMs));
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export interface FillJoinOptions {
  /** How long a fill waits for its commission. */
  timeoutMs: number;
  sleep(ms: number): Promise<void>;
  /** A fill is final (`complete`: its commission arrived; else it timed out at 0). */
  final(rec: ExecRecord, commission: number, complete: boolean): void;
  /** A commission arrived after its fill was booked without it. */
  late(rec: ExecRecord, commission: number): void;
}

/** Joins live executions with their commission reports. */
export class FillJoin {
  private readonly pending = new Map<string, ExecRecord>();
  private readonly commissions = new Map<string, number>();
  private readonly timedOut = new Map<string, ExecRecord>();
  private readonly waiters = new Map<string, ((c: number) => void)[]>();
  private closed = false;

  constructor(private readonly o: FillJoinOptions) {}

  /** A live execution. */
  exec(rec: ExecRecord): void {
    if (this.pending.has(rec.execId) || this.timedOut.has(rec.execId)) return;
    const c = this.commissions.get(rec.execId);
    if (c !== undefined) return this.o.final(rec, c, true);
    this.pending.set(rec.execId, rec);
    void this.o.sleep(this.o.timeoutMs).then(() => {
      if (this.closed || !this.pending.delete(rec.execId)) return;
      this.timedOut.set(rec.execId, rec);
      this.o.final(rec, 0, false);
    });
  }

  /** A commission report. */
  commission(execId: string, amount: number): void {
    this.commissions.set(execId, amount);
    for (const w of this.waiters.get(execId) ?? []) w(amount);
    this.waiters.delete(execId);
    const rec = this.pending.get(execId);
    if (rec) {
      this.pending.delete(execId);
      this.o.final(rec, amount, true);
      return;
    }
    const booked = this.timedOut.get(execId);
    if (booked) {
      this.timedOut.delete(execId);
      this.o.late(booked, amount);
    }
  }

  /**
   * Forgets an execution superseded by a correction: it no longer books when its commission
   * arrives or times out, and a late commission of it is not reported.
   */
  drop(execId: string): void {
    this.pending.delete(execId);
    this.timedOut.delete(execId);
  }

  /** Whether an execution waits for its commission. */
  has(execId: string): boolean {
    return this.pending.has(execId);
  }

  /** Commissions of executions (from a request), waiting up to the timeout; missing ones null. */
  async commissionsOf(execIds: readonly string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    const waits: Promise<void>[] = [];
    for (const id of execIds) {
      const c = this.commissions.get(id);
      if (c !== undefined) {
        out.set(id, c);
        continue;
      }
      out.set(id, null);
      waits.push(
        new Promise<void>((resolve) => {
          const list = this.waiters.get(id) ?? [];
          list.push((v) => {
            out.set(id, v);
            resolve();
          });
          this.waiters.set(id, list);
        }),
      );
    }
    if (waits.length) await Promise.race([Promise.all(waits), this.o.sleep(this.o.timeoutMs)]);
    for (const [id, c] of out) if (c === null) this.waiters.delete(id);
    return out;
  }

  /** Stops timers from booking anything (pending fills are left to reconciliation). */
  close(): void {
    this.closed = true;
    this.pending.clear();
  }
}

/**
 * UTC ms of the midnight that began TWS's trading day containing `utcMs`, in TWS's time zone
 * (reqExecutions returns nothing older: "only the current day's executions can be retrieved").
 *
 * @example
 * twsDayStart(Date.UTC(2024, 2, 4, 15)); // Date.UTC(2024, 2, 4, 5): 00:00 in New York
 */
export function twsDayStart(utcMs: number, zone = "America/New_York"): number {
  const local = utcMs + intlOffset(zone, utcMs);
  return zonedToUtc(Math.floor(local / 86_400_000) * 86_400_000, zone);
}
