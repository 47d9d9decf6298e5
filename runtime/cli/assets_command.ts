/**
 * `harvester assets BUNDLE`: the assets a bundle holds, one row each — what `symbol()` and `sid()`
 * can find, and over which dates (zipline's asset finder, on the command line).
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import {
  type AssetRecord,
  harvesterRoot,
  loadExtension,
  openDaily,
  parseTimestamp,
} from "../../bundles/mod.ts";
import { withDotEnv } from "../config/dotenv.ts";
import { type Command, stringOpt, UsageError } from "./command.ts";

/** The columns, in order. */
export const ASSET_COLUMNS = [
  "symbol",
  "sid",
  "name",
  "exchange",
  "country_code",
  "first_date",
  "last_date",
  "auto_close_date",
] as const;

type AssetLine = Record<(typeof ASSET_COLUMNS)[number], string | number | null>;

function day(ms: number): string | null {
  return Number.isFinite(ms) ? isoDate(Math.floor(ms / DAY_MS)) : null;
}

/**
 * One asset as `harvester assets` prints it.
 *
 * @example
 * ```ts
 * assetLine(reader.assets[0]); // { symbol: "AMD", sid: 0, …, auto_close_date: "2015-01-01" }
 * ```
 */
export function assetLine(a: AssetRecord): AssetLine {
  return {
    symbol: a.symbol,
    sid: a.sid,
    name: a.asset_name,
    exchange: a.exchange,
    country_code: a.country_code,
    first_date: day(a.start_date),
    last_date: day(a.end_date),
    auto_close_date: day(a.auto_close_date),
  };
}

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const assetsCommand: Command = {
  name: "assets",
  summary:
    "Lists a bundle's assets, one row each: symbol, sid, name, exchange, country, first and last date, auto-close date.",
  usage: "assets BUNDLE [--format csv|json] [--bundle-timestamp TS]",
  help: [
    "BUNDLE                 an ingested bundle (harvester bundles lists them)",
    "-b, --bundle NAME      the bundle, as zipline's commands take it (instead of BUNDLE)",
    "--format csv|json      output format (default csv)",
    "--bundle-timestamp TS  the newest ingestion at or before TS (default: the newest)",
  ],
  options: {
    bundle: { type: "string", short: "b" },
    format: { type: "string", default: "csv" },
    "bundle-timestamp": { type: "string" },
  },
  positionals: [0, 1],
  async run(args, io) {
    const env = withDotEnv(io.env);
    const root = harvesterRoot(env);
    await loadExtension(root);
    const positional = args.positionals[0], flag = stringOpt(args, "bundle");
    if (positional && flag && positional !== flag) {
      throw new UsageError(`two bundles given: ${positional} and -b ${flag}`);
    }
    const name = positional ?? flag;
    if (!name) throw new UsageError(`which bundle? usage: harvester ${this.usage}`);
    const format = stringOpt(args, "format");
    if (format !== "csv" && format !== "json") {
      throw new UsageError(`--format: "${format}" is not one of csv, json`);
    }
    const tsText = stringOpt(args, "bundle-timestamp");
    const timestamp = tsText === undefined ? undefined : parseTimestamp(tsText);
    if (timestamp !== undefined && Number.isNaN(timestamp)) {
      throw new UsageError(`--bundle-timestamp: "${tsText}" is not a timestamp`);
    }
    const reader = await openDaily(name, { root, environ: env, timestamp });
    let lines: AssetLine[];
    try {
      lines = [...reader.assets]
        .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.start_date - b.start_date)
        .map(assetLine);
    } finally {
      reader.close();
    }
    if (format === "json") io.stdout(JSON.stringify(lines, null, 2) + "\n");
    else {
      io.stdout(
        [
          ASSET_COLUMNS.join(","),
          ...lines.map((l) => ASSET_COLUMNS.map((c) => csvCell(l[c])).join(",")),
        ]
          .join("\n") + "\n",
      );
    }
    return 0;
  },
};
