/**
 * `get_calendar(name)`: resolves names and aliases to calendars built once, on first use.
 * Users add their own with `register_calendar` (a calendar object, an `ExchangeSpec`, or a list
 * of sessions with hours).
 */
import type { TradingCalendar } from "./calendar.ts";
import { DAY_MS } from "./days.ts";
import { UnknownCalendarError } from "./errors.ts";
import { buildExchangeCalendar, type ExchangeSpec } from "./exchange.ts";
import { PrecomputedCalendar } from "./precomputed.ts";
import { BUILT_IN_CALENDARS } from "./catalogue.ts";

/** One session given by hand: date and UTC open/close (ISO strings or epoch ms). */
export interface SessionHours {
  session: string | number;
  open: string | number;
  close: string | number;
}

type Factory = () => TradingCalendar;

/** A registered calendar: the name it was registered under (as spelt) and how to build it. */
interface Entry {
  name: string;
  factory: Factory;
  spec?: ExchangeSpec;
}

const entries = new Map<string, Entry>();
/** Upper-cased alias → upper-cased calendar key, and the alias as spelt. */
const aliases = new Map<string, { key: string; name: string }>();
const built = new Map<string, TradingCalendar>();

function key(name: string): string {
  return name.toUpperCase();
}

function canonical(name: string): string | undefined {
  const k = key(name);
  if (entries.has(k)) return k;
  return aliases.get(k)?.key;
}

/** Every registered calendar name and alias (as exchange_calendars spells them), sorted. */
export function calendar_names(): string[] {
  const names = [
    ...[...entries.values()].map((e) => e.name),
    ...[...aliases.values()].map((a) => a.name),
  ];
  return names.sort();
}

/** One line of `calendar --list`: a calendar, its aliases and its spec (if built from one). */
export interface CalendarListing {
  name: string;
  aliases: string[];
  spec?: ExchangeSpec;
}

/** Every registered calendar (not alias) with its aliases, sorted by name; nothing is built. */
export function calendar_listing(): CalendarListing[] {
  const out = new Map<string, CalendarListing>();
  for (const [k, e] of entries) out.set(k, { name: e.name, aliases: [], spec: e.spec });
  for (const a of aliases.values()) out.get(a.key)?.aliases.push(a.name);
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The calendar registered under `name` (case-insensitive; aliases such as `NYSE` or `CME` work).
 * Each calendar is built on first use only.
 * @example
 * const nyse = get_calendar("NYSE");
 * nyse.is_session(Date.UTC(2024, 6, 4)); // false: Independence Day
 */
export function get_calendar(name: string): TradingCalendar {
  const c = canonical(name);
  if (c === undefined) throw new UnknownCalendarError(name, calendar_names());
  let cal = built.get(c);
  if (!cal) {
    cal = entries.get(c)!.factory();
    built.set(c, cal);
  }
  return cal;
}

function toMs(v: string | number, field: string): number {
  const ms = typeof v === "number" ? v : Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(ms)) {
    throw new RangeError(`register_calendar: ${field} ${JSON.stringify(v)} is not a date`);
  }
  return ms;
}

/** Builds a calendar from explicit sessions with their UTC hours. */
export function calendarFromSessions(
  name: string,
  tz: string,
  rows: readonly SessionHours[],
): PrecomputedCalendar {
  const sorted = rows.map((r, i) => ({
    session: Math.floor(toMs(r.session, `sessions[${i}].session`) / DAY_MS) * DAY_MS,
    open: toMs(r.open, `sessions[${i}].open`),
    close: toMs(r.close, `sessions[${i}].close`),
  })).sort((a, b) => a.session - b.session);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].session === sorted[i - 1].session) {
      throw new RangeError(
        `register_calendar: session ${
          new Date(sorted[i].session).toISOString().slice(0, 10)
        } given twice`,
      );
    }
  }
  return new PrecomputedCalendar({
    name,
    tz,
    sessions: Float64Array.from(sorted, (r) => r.session),
    opens: Float64Array.from(sorted, (r) => r.open),
    closes: Float64Array.from(sorted, (r) => r.close),
  });
}

/** What `register_calendar` accepts. */
export type CalendarSource =
  | TradingCalendar
  | ExchangeSpec
  | { tz?: string; sessions: readonly SessionHours[] }
  | Factory;

/**
 * Registers a calendar under `name` (and optional aliases). Replaces an earlier registration only
 * with `{ force: true }`.
 * @example
 * register_calendar("MYEX", { tz: "UTC", sessions: [{ session: "2024-01-02", open: "2024-01-02T09:00:00Z", close: "2024-01-02T17:00:00Z" }] });
 */
export function register_calendar(
  name: string,
  source: CalendarSource,
  opts: { aliases?: readonly string[]; force?: boolean } = {},
): void {
  const k = key(name);
  if (!opts.force && (entries.has(k) || aliases.has(k))) {
    throw new RangeError(
      `calendar "${name}" is already registered; pass { force: true } to replace it`,
    );
  }
  let factory: Factory;
  let spec: ExchangeSpec | undefined;
  if (typeof source === "function") factory = source;
  else if ("is_session" in source) factory = () => source;
  else if ("sessions" in source) {
    factory = () => calendarFromSessions(name, source.tz ?? "UTC", source.sessions);
  } else {
    spec = source;
    factory = () => buildExchangeCalendar(source);
  }
  entries.set(k, { name, factory, spec });
  aliases.delete(k);
  built.delete(k);
  for (const a of opts.aliases ?? []) aliases.set(key(a), { key: k, name: a });
}

/** Adds an alias for a registered calendar. */
export function register_calendar_alias(alias: string, name: string): void {
  const c = canonical(name);
  if (c === undefined) throw new UnknownCalendarError(name, calendar_names());
  aliases.set(key(alias), { key: c, name: alias });
}

for (const c of BUILT_IN_CALENDARS) register_calendar(c.spec.name, c.spec, { aliases: c.aliases });
