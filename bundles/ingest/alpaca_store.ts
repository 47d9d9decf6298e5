/**
 * Store-side steps of the `alpaca_api` bundle. Incremental ingest copies the previous version's
 * bars and corporate actions into the version being written (DuckDB `ATTACH`, read-only) and
 * reports what it holds, so only sessions after it need fetching and every symbol keeps its sid.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { join } from "node:path";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { DAY_MS } from "../../calendars/days.ts";
import { IngestError } from "../errors.ts";
import { type BundleVersion, DB_FILE } from "../paths.ts";
import type { IngestArgs } from "../registry.ts";
import { duckdb, sqlString } from "../store/duckdb.ts";
import { SCHEMA_VERSION } from "../store/schema.ts";

export interface PreviousAsset {
  sid: number;
  asset_name: string | null;
  exchange: string | null;
}

/** What an earlier version holds. Sessions are UTC-midnight ms. */
export interface PreviousData {
  assets: Map<string, PreviousAsset>;
  /** Last daily-bar session, and session of the last minute bar, by sid. */
  lastDaily: Map<number, number>;
  lastMinute: Map<number, number>;
  /** `split:sid:day:ratio` / `dividend:sid:day:amount` of the actions already stored. */
  actionKeys: Set<string>;
}

export const noPrevious = (): PreviousData => ({
  assets: new Map(),
  lastDaily: new Map(),
  lastMinute: new Map(),
  actionKeys: new Set(),
});

const TABLES = ["daily_bars", "minute_bars", "splits", "mergers", "dividends", "stock_dividends"];

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const ms = (d: unknown): number => (d as Date).getTime();
const dayOf = (d: unknown): number => Math.round(ms(d) / DAY_MS);

/** Copies `version` into the writer's database and returns what it held. */
export async function copyPrevious(
  conn: DuckDBConnection,
  version: BundleVersion,
  calendar: TradingCalendar,
): Promise<PreviousData> {
  await conn.run(`ATTACH ${sqlString(join(version.path, DB_FILE))} AS prev (READ_ONLY)`);
  try {
    const meta = await rows(conn, `SELECT value FROM prev.metadata WHERE key = 'schema_version'`);
    if (Number(meta[0]?.value) !== SCHEMA_VERSION) {
      throw new IngestError(
        `previous version ${version.name} has bundle schema ${meta[0]?.value}, this Harvester` +
          ` writes ${SCHEMA_VERSION}; ingest from scratch (harvester clean) first`,
      );
    }
    for (const t of TABLES) await conn.run(`INSERT INTO main.${t} SELECT * FROM prev.${t}`);
    const out = noPrevious();
    for (const r of await rows(conn, `SELECT sid, symbol, asset_name, exchange FROM prev.assets`)) {
      out.assets.set(String(r.symbol), {
        sid: Number(r.sid),
        asset_name: (r.asset_name as string | null) ?? null,
        exchange: (r.exchange as string | null) ?? null,
      });
    }
    const daily = `SELECT sid, max(date) AS last FROM prev.daily_bars GROUP BY sid`;
    for (const r of await rows(conn, daily)) out.lastDaily.set(Number(r.sid), ms(r.last));
    const minute = `SELECT sid, max(dt) AS last FROM prev.minute_bars GROUP BY sid`;
    for (const r of await rows(conn, minute)) {
      // A minute bar is labelled by its end, so the close itself belongs to its session.
      out.lastMinute.set(Number(r.sid), calendar.minute_to_session(ms(r.last), "previous"));
    }
    const actions = `SELECT 'split' AS k, sid, effective_date AS d, ratio AS v FROM prev.splits
      UNION ALL SELECT 'dividend', sid, ex_date, amount FROM prev.dividends`;
    for (const r of await rows(conn, actions)) {
      out.actionKeys.add(`${r.k}:${r.sid}:${dayOf(r.d)}:${r.v}`);
    }
    return out;
  } finally {
    await conn.run(`DETACH prev`);
  }
}

/** Minute-only bundles get daily bars rolled up from their minutes, as zipline's csvdir does. */
export async function rollUpDaily(args: IngestArgs): Promise<void> {
  const conn = args.writer.conn;
  const { DuckDBTimestampValue, DuckDBDateValue } = await duckdb();
  await conn.run(`CREATE OR REPLACE TEMP TABLE alpaca_cal (date DATE, close TIMESTAMP)`);
  const a = await conn.createAppender("alpaca_cal", "main", "temp");
  const cal = args.calendar;
  for (let i = 0; i < cal.all_sessions.length; i++) {
    a.appendDate(new DuckDBDateValue(cal.all_sessions[i] / DAY_MS));
    a.appendTimestamp(new DuckDBTimestampValue(BigInt(cal.closes[i]) * 1000n));
    a.endRow();
  }
  a.closeSync();
  // Sessions already rolled up (copied from the previous version) are left alone.
  await conn.run(`INSERT INTO daily_bars SELECT r.* FROM (
      SELECT m.sid, c.date, arg_min(m.open, m.dt) AS open, max(m.high) AS high, min(m.low) AS low,
             arg_max(m.close, m.dt) AS close, sum(m.volume) AS volume
      FROM minute_bars m ASOF JOIN alpaca_cal c ON c.close >= m.dt GROUP BY m.sid, c.date) r
    ANTI JOIN daily_bars d ON d.sid = r.sid AND d.date = r.date`);
}

/**
 * One asset row per sid that has bars (copied or new): its span from the bars, its name and
 * exchange from Alpaca's asset list, else from the previous version.
 */
export async function writeAssets(
  args: IngestArgs,
  sids: Map<string, number>,
  meta: Map<string, { name?: string; exchange?: string }>,
  prev: PreviousData,
): Promise<void> {
  const symbolOf = new Map([...sids].map(([s, sid]) => [sid, s]));
  const spans = await rows(
    args.writer.conn,
    `SELECT sid, min(d) AS first, max(d) AS last FROM (
      SELECT sid, date AS d FROM daily_bars UNION ALL SELECT sid, CAST(dt AS DATE) FROM minute_bars)
    GROUP BY sid ORDER BY sid`,
  );
  if (!spans.length) throw new IngestError("alpaca_api: Alpaca returned no bars for the universe");
  const withBars = new Set(spans.map((r) => Number(r.sid)));
  const noBars = [...sids.values()].filter((sid) => !withBars.has(sid)).length;
  if (noBars) {
    args.progress.note(`alpaca: ${noBars} symbol(s) have no bars in range and were skipped`);
  }
  await args.writer.writeAssets(spans.map((r) => {
    const sid = Number(r.sid), symbol = symbolOf.get(sid)!;
    const m = meta.get(symbol), p = prev.assets.get(symbol);
    return {
      sid,
      symbol,
      asset_name: m?.name ?? p?.asset_name ?? symbol,
      exchange: m?.exchange ?? p?.exchange ?? null,
      country_code: "US",
      start_date: dayOf(r.first),
      end_date: dayOf(r.last),
      first_traded: dayOf(r.first),
      // As zipline's csvdir: the day after the last bar.
      auto_close_date: dayOf(r.last) + 1,
    };
  }));
}
