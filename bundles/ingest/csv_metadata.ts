/** The optional asset metadata file of a csvdir folder (`metadata.csv` or `assets.csv`). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { IngestError } from "../errors.ts";
import { sqlString } from "../store/duckdb.ts";

export interface AssetMeta {
  sid: number;
  symbol: string;
  asset_name?: string;
  exchange?: string;
  country_code?: string;
  start_date?: string;
  end_date?: string;
  first_traded?: string;
  auto_close_date?: string;
}

const FILES = ["metadata.csv", "assets.csv"];
const DATE_FIELDS = ["start_date", "end_date", "first_traded", "auto_close_date"] as const;

/** Reads the metadata file if the folder has one; every row needs `sid` and `symbol`. */
export async function readAssetMetadata(
  conn: DuckDBConnection,
  dir: string,
): Promise<{ meta?: Map<string, AssetMeta>; path?: string }> {
  const path = FILES.map((f) => join(dir, f)).find((p) => existsSync(p));
  if (!path) return {};
  const rows = (await conn.runAndReadAll(
    `SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true)`,
  )).getRowObjectsJS() as Record<string, string | null>[];
  const meta = new Map<string, AssetMeta>();
  const sids = new Set<number>();
  rows.forEach((r, i) => {
    const line = i + 2;
    if (!("sid" in r) || !("symbol" in r)) {
      throw new IngestError(`the metadata file needs columns sid and symbol`, {
        file: path,
        line: 1,
      });
    }
    const sid = Number(r.sid);
    if (!Number.isInteger(sid) || sid < 0) {
      throw new IngestError(`"${r.sid}" is not a sid (a whole number ≥ 0)`, {
        file: path,
        line,
        column: "sid",
      });
    }
    if (sids.has(sid)) {
      throw new IngestError(`sid ${sid} is given twice`, { file: path, line, column: "sid" });
    }
    sids.add(sid);
    const symbol = String(r.symbol ?? "").trim();
    if (!symbol) throw new IngestError(`empty symbol`, { file: path, line, column: "symbol" });
    const m: AssetMeta = { sid, symbol };
    for (const f of ["asset_name", "exchange", "country_code"] as const) if (r[f]) m[f] = r[f]!;
    for (const f of DATE_FIELDS) {
      const v = r[f];
      if (!v) continue;
      if (!/^\d{4}-\d{2}-\d{2}/.test(v)) {
        throw new IngestError(`"${v}" is not a date (YYYY-MM-DD)`, { file: path, line, column: f });
      }
      m[f] = v.slice(0, 10);
    }
    meta.set(symbol, m);
  });
  return { meta, path };
}
