/**
 * zipline-trader's `alpaca_api` bundle on Harvester's store: raw daily and/or minute bars, splits
 * and cash dividends (with pay dates) from Alpaca's REST APIs. Unlike zipline-trader, which wrote
 * no adjustments and whose minute path was broken, this one writes both; and when an earlier
 * version exists it is copied and only the sessions after it are fetched, keeping every sid.
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { DAY_MS, isoDate, MINUTE_MS, parseIsoDate } from "../../calendars/days.ts";
import { ZoneOffsets } from "../../calendars/timezone.ts";
import { IngestError } from "../errors.ts";
import type { IngestArgs, IngestFunction } from "../registry.ts";
import type { DividendInput, SplitInput } from "../store/writer.ts";
import {
  type AlpacaBar,
  AlpacaClient,
  alpacaConfig,
  type AlpacaTimeframe,
  resolveUniverse,
} from "./alpaca_client.ts";
import {
  copyPrevious,
  noPrevious,
  type PreviousData,
  rollUpDaily,
  writeAssets,
} from "./alpaca_store.ts";

export type AlpacaTimeFrame = "daily" | "minute";

export interface AlpacaBundleOptions {
  /** Default timeframes when `--tframes` is not given. @default ["daily"] */
  tframes?: AlpacaTimeFrame[];
}

const TIMEFRAME: Record<AlpacaTimeFrame, AlpacaTimeframe> = { daily: "1Day", minute: "1Min" };
/** Symbols per bars request: keeps URLs short and one request's pages about one group. */
const CHUNK = 100;
const DEFAULT_YEARS = 5;

/** The `alpaca_api` ingest function. */
export function alpaca_api_bundle(opts: AlpacaBundleOptions = {}): IngestFunction {
  return (args) => ingestAlpaca(args, opts);
}

interface Context {
  args: IngestArgs;
  client: AlpacaClient;
  sids: Map<string, number>;
  zone: ZoneOffsets;
  start: number;
  end: number;
}

async function ingestAlpaca(args: IngestArgs, opts: AlpacaBundleOptions): Promise<void> {
  const note = (m: string) => args.progress.note(m);
  const client = new AlpacaClient(alpacaConfig(args.environ), note);
  const tframes = resolveTframes(args, opts);
  const { start, end } = sessionRange(args);
  const prev = args.previous
    ? await copyPrevious(args.writer.conn, args.previous, args.calendar)
    : noPrevious();
  const { symbols, meta } = await resolveUniverse(client, args.options, args.environ, note);
  const sids = assignSids(symbols, prev);
  const zone = new ZoneOffsets(args.calendar.tz, start - 2 * DAY_MS, end + 2 * DAY_MS);
  const ctx: Context = { args, client, sids, zone, start, end };
  const actionStarts = new Map<string, number>();
  for (const tf of tframes) {
    const last = tf === "daily" ? prev.lastDaily : prev.lastMinute;
    const plan = fetchPlan(ctx, symbols, last);
    for (const [from, group] of plan) {
      for (const s of group) actionStarts.set(s, Math.min(actionStarts.get(s) ?? from, from));
    }
    await fetchBars(ctx, tf, plan);
  }
  if (!tframes.includes("daily")) await rollUpDaily(args);
  await fetchActions(ctx, actionStarts, prev);
  await writeAssets(args, sids, meta, prev);
}

function resolveTframes(args: IngestArgs, opts: AlpacaBundleOptions): AlpacaTimeFrame[] {
  const given = args.options.tframes;
  const list = typeof given === "string"
    ? given.split(",").map((s) => s.trim()).filter(Boolean)
    : Array.isArray(given)
    ? given.map(String)
    : opts.tframes ?? ["daily"];
  for (const t of list) {
    if (t !== "daily" && t !== "minute") {
      throw new IngestError(`unknown timeframe "${t}"; alpaca_api knows daily and minute`);
    }
  }
  return [...new Set(list as AlpacaTimeFrame[])];
}

function dateOption(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") return v;
  const d = parseIsoDate(String(v).slice(0, 10));
  if (d === undefined) throw new IngestError(`--${name} "${v}" is not a date (YYYY-MM-DD)`);
  return d * DAY_MS;
}

/** The last session whose close has passed: Alpaca's bars of an open session are incomplete. */
function lastCompletedSession(cal: TradingCalendar, now: number): number {
  let s = cal.date_to_session(Math.floor(now / DAY_MS) * DAY_MS, "previous");
  if (cal.session_close(s) > now) s = cal.previous_session(s);
  return s;
}

function sessionRange(args: IngestArgs): { start: number; end: number } {
  const cal = args.calendar;
  // A user's --start/--end win over the registration's range.
  const lastDone = lastCompletedSession(cal, Date.now());
  const wantEnd = dateOption(args.options.end, "end") ?? args.end_session;
  const end = wantEnd === undefined
    ? lastDone
    : Math.min(cal.date_to_session(wantEnd, "previous"), lastDone);
  const wantStart = dateOption(args.options.start, "start") ?? args.start_session ??
    end - Math.round(DEFAULT_YEARS * 365.25) * DAY_MS;
  const start = cal.date_to_session(wantStart, "next");
  if (start > end) {
    throw new IngestError(
      `alpaca_api: start ${isoDate(start / DAY_MS)} is after end ${isoDate(end / DAY_MS)}` +
        ` (the last completed ${cal.name} session)`,
    );
  }
  return { start, end };
}

/** Earlier sids are kept; new symbols get the next ones, in symbol order. */
function assignSids(symbols: string[], prev: PreviousData): Map<string, number> {
  const sids = new Map<string, number>();
  let next = 0;
  for (const [symbol, a] of prev.assets) {
    sids.set(symbol, a.sid);
    next = Math.max(next, a.sid + 1);
  }
  for (const s of symbols) if (!sids.has(s)) sids.set(s, next++);
  return sids;
}

/** Symbols grouped by the first session to fetch: the start, or the one after their last bar. */
function fetchPlan(
  ctx: Context,
  symbols: string[],
  last: Map<number, number>,
): Map<number, string[]> {
  const plan = new Map<number, string[]>();
  for (const s of symbols) {
    const l = last.get(ctx.sids.get(s)!);
    const from = l === undefined ? ctx.start : ctx.args.calendar.next_session(l);
    if (from > ctx.end) continue;
    const group = plan.get(from);
    if (group) group.push(s);
    else plan.set(from, [s]);
  }
  return plan;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** Request bounds: local midnights for daily bars, bar starts within the sessions for minutes. */
function requestWindow(ctx: Context, tf: AlpacaTimeFrame, from: number): [string, string] {
  const cal = ctx.args.calendar;
  if (tf === "daily") {
    return [
      rfc3339(ctx.zone.wallToUtc(from)),
      rfc3339(ctx.zone.wallToUtc(ctx.end + DAY_MS) - 1000),
    ];
  }
  return [rfc3339(cal.session_open(from)), rfc3339(cal.session_close(ctx.end) - MINUTE_MS)];
}

async function fetchBars(
  ctx: Context,
  tf: AlpacaTimeFrame,
  plan: Map<number, string[]>,
): Promise<void> {
  const { progress, calendar } = ctx.args;
  const total = [...plan.values()].reduce((n, g) => n + g.length, 0);
  progress.start(`alpaca ${tf} bars`, total);
  let rows = 0, dropped = 0;
  for (const [from, group] of plan) {
    const [start, end] = requestWindow(ctx, tf, from);
    for (let i = 0; i < group.length; i += CHUNK) {
      const chunk = group.slice(i, i + CHUNK);
      for await (const page of ctx.client.bars(chunk, TIMEFRAME[tf], start, end)) {
        const n = await writePage(ctx, tf, page);
        rows += n.kept;
        dropped += n.dropped;
        progress.tick(0, n.kept);
      }
      progress.tick(chunk.length);
    }
  }
  progress.done(`${total} symbols, ${rows.toLocaleString("en-US")} bars`);
  if (dropped > 0) {
    const what = tf === "daily" ? "sessions" : "trading minutes (extended hours)";
    progress.note(`alpaca: dropped ${dropped} ${tf} bar(s) outside ${calendar.name} ${what}`);
  }
}

/**
 * Writes one page. Daily bars are stamped at local midnight, so their session is the date in the
 * calendar's zone; a minute bar is stamped by its start, but sessions label minutes by their end.
 */
async function writePage(
  ctx: Context,
  tf: AlpacaTimeFrame,
  page: Record<string, AlpacaBar[]>,
): Promise<{ kept: number; dropped: number }> {
  const cal = ctx.args.calendar;
  let kept = 0, dropped = 0;
  for (const [symbol, bars] of Object.entries(page)) {
    const sid = ctx.sids.get(symbol.toUpperCase());
    if (sid === undefined || !bars?.length) continue;
    const times: number[] = [];
    const cols = { open: [] as number[], high: [] as number[], low: [] as number[] };
    const close: number[] = [], volume: number[] = [];
    for (const b of bars) {
      const t = Date.parse(b.t);
      const at = tf === "daily"
        ? Math.floor((t + ctx.zone.offsetAt(t)) / DAY_MS) * DAY_MS
        : t + MINUTE_MS;
      const ok = tf === "daily" ? cal.is_session(at) : cal.is_open_on_minute(at);
      if (!ok) {
        dropped++;
        continue;
      }
      times.push(tf === "daily" ? at / DAY_MS : at);
      cols.open.push(b.o), cols.high.push(b.h), cols.low.push(b.l);
      close.push(b.c), volume.push(b.v);
    }
    const bc = { ...cols, close, volume };
    if (tf === "daily") await ctx.args.writer.writeDailyBars(sid, times, bc);
    else await ctx.args.writer.writeMinuteBars(sid, times, bc);
    kept += times.length;
  }
  return { kept, dropped };
}

/**
 * Splits (ratio old/new: a 2-for-1 gives 0.5) and cash dividends of each symbol with ex-dates
 * from its first fetched session to the end; actions the previous version already has are
 * skipped.
 */
async function fetchActions(
  ctx: Context,
  starts: Map<string, number>,
  prev: PreviousData,
): Promise<void> {
  const groups = new Map<number, string[]>();
  for (const [s, from] of starts) {
    const group = groups.get(from);
    if (group) group.push(s);
    else groups.set(from, [s]);
  }
  const seen = new Set(prev.actionKeys);
  // Keyed with the value too: a special dividend can share its ex-date with a regular one.
  const fresh = (kind: string, sid: number, date: string, value: number) => {
    const day = parseIsoDate(date.slice(0, 10));
    const key = `${kind}:${sid}:${day}:${value}`;
    if (day === undefined || seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const splits: SplitInput[] = [], dividends: DividendInput[] = [];
  ctx.args.progress.start("alpaca corporate actions", starts.size);
  for (const [from, group] of groups) {
    for (let i = 0; i < group.length; i += CHUNK) {
      const chunk = group.slice(i, i + CHUNK);
      const ca = await ctx.client.corporateActions(
        chunk,
        isoDate(from / DAY_MS),
        isoDate(ctx.end / DAY_MS),
      );
      for (const s of [...ca.forward_splits, ...ca.reverse_splits]) {
        const sid = ctx.sids.get(s.symbol?.toUpperCase());
        if (sid === undefined || !(s.old_rate > 0 && s.new_rate > 0)) continue;
        const ratio = s.old_rate / s.new_rate;
        if (!fresh("split", sid, s.ex_date, ratio)) continue;
        splits.push({ sid, effective_date: s.ex_date, ratio });
      }
      for (const d of ca.cash_dividends) {
        const sid = ctx.sids.get(d.symbol?.toUpperCase());
        if (sid === undefined || !(d.rate > 0) || !fresh("dividend", sid, d.ex_date, d.rate)) {
          continue;
        }
        dividends.push({
          sid,
          ex_date: d.ex_date,
          amount: d.rate,
          record_date: d.record_date ?? null,
          pay_date: d.payable_date ?? null,
        });
      }
      ctx.args.progress.tick(chunk.length, 0);
    }
  }
  await ctx.args.writer.writeSplits(splits);
  await ctx.args.writer.writeDividends(dividends);
  ctx.args.progress.done(`${splits.length} splits, ${dividends.length} dividends`);
}
