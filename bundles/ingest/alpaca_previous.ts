/**
 * Incremental ingest for network bundles: copies the previous version's bars and corporate
 * actions into the version being written (DuckDB `ATTACH`, read-only) and reports what it holds,
 * so only sessions after it need fetching and every symbol keeps its sid.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { join } from "node:path";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { DAY_MS } from "../../calendars/days.ts";
import { IngestError } from "../errors.ts";
import { type BundleVersion, DB_FILE } from "../paths.ts";
import { sqlString } from "../store/duckdb.ts";
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
  /** `split:sid:day` / `dividend:sid:day` of the actions already stored. */
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
    const actions = `SELECT 'split' AS k, sid, effective_date AS d FROM prev.splits
      UNION ALL SELECT 'dividend', sid, ex_date FROM prev.dividends`;
    for (const r of await rows(conn, actions)) out.actionKeys.add(`${r.k}:${r.sid}:${dayOf(r.d)}`);
    return out;
  } finally {
    await conn.run(`DETACH prev`);
  }
}
