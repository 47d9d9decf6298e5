/**
 * Live-session settings from four places, highest first: the command line, a YAML config file
 * (`--config live.yaml`), `HARVESTER_*` environment variables (and `.env`), then defaults.
 * Secrets (API keys) come from the environment only: a config file naming one is refused.
 */
import { readFileSync } from "node:fs";
import { InvalidInputError } from "../errors.ts";
import { lazyImport } from "../lazy.ts";

/** Every setting a config file may hold, by its YAML name. */
export const LIVE_SETTINGS = {
  broker: "string",
  feed: "string",
  start: "string",
  end: "string",
  speed: "string",
  state_file: "string",
  journal: "string",
  capital_base: "number",
  dry_run: "boolean",
  journal_before_send: "boolean",
  fresh: "boolean",
  flatten_on_kill: "boolean",
  cancel_on_stop: "boolean",
  flatten_before_close: "number",
  baseline: "string",
  metrics_port: "number",
  otlp_endpoint: "string",
  output: "string",
  max_notional: "number",
  max_orders_per_minute: "number",
  price_band: "number",
  daily_loss_limit: "number",
  universe: "list",
  broker_uri: "string",
  live: "boolean",
  paper: "boolean",
  stale_after: "number",
  feed_stale_after: "number",
  feed_stale_action: "string",
  inflight_after: "number",
  working_quiet_after: "number",
  benchmark_symbol: "string",
  benchmark_file: "string",
  no_benchmark: "boolean",
} as const;
export type LiveSettingName = keyof typeof LIVE_SETTINGS;
export type LiveSettings = Partial<Record<LiveSettingName, string | number | boolean | string[]>>;

const SECRET = /key|secret|token|password/i;

function coerce(
  name: LiveSettingName,
  v: unknown,
  where: string,
): string | number | boolean | string[] {
  const kind = LIVE_SETTINGS[name];
  if (kind === "number") {
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isFinite(n)) throw new InvalidInputError(`${where} ${name}`, v, "must be a number");
    return n;
  }
  if (kind === "boolean") {
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "1") return true;
    if (v === "false" || v === "0") return false;
    throw new InvalidInputError(`${where} ${name}`, v, "must be true or false");
  }
  if (kind === "list") {
    return Array.isArray(v)
      ? v.map(String)
      : String(v).split(",").map((s) => s.trim()).filter(Boolean);
  }
  return String(v);
}

/** Reads a YAML config; nested `risk:` keys are accepted as the flat names. */
export async function readConfigFile(path: string): Promise<LiveSettings> {
  const { parse } = await lazyImport<typeof import("yaml")>("yaml");
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(path, "utf8")) ?? {};
  } catch (e) {
    throw new InvalidInputError("--config", path, `not readable YAML: ${(e as Error).message}`);
  }
  const flat: Record<string, unknown> = { ...doc, ...(doc.risk as Record<string, unknown> ?? {}) };
  delete flat.risk;
  const out: LiveSettings = {};
  for (const [k, v] of Object.entries(flat)) {
    if (SECRET.test(k)) {
      throw new InvalidInputError(
        `${path}: ${k}`,
        "…",
        "secrets belong in the environment (or .env), never in a config file",
      );
    }
    if (!(k in LIVE_SETTINGS)) {
      throw new InvalidInputError(
        `${path}: ${k}`,
        v,
        `unknown setting; known: ${Object.keys(LIVE_SETTINGS).join(", ")}`,
      );
    }
    out[k as LiveSettingName] = coerce(k as LiveSettingName, v, path);
  }
  return out;
}

/** `HARVESTER_MAX_NOTIONAL=…` and the like. */
export function settingsFromEnv(env: Record<string, string | undefined>): LiveSettings {
  const out: LiveSettings = {};
  for (const name of Object.keys(LIVE_SETTINGS) as LiveSettingName[]) {
    const v = env[`HARVESTER_${name.toUpperCase()}`];
    if (v !== undefined && v !== "") out[name] = coerce(name, v, `HARVESTER_${name.toUpperCase()}`);
  }
  return out;
}

/** Command line over config file over environment over defaults. */
export function mergeSettings(...layers: LiveSettings[]): LiveSettings {
  const out: LiveSettings = {};
  for (const layer of [...layers].reverse()) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k as LiveSettingName] = v;
  }
  return out;
}

/** A live session's benchmark settings (one of them at most). */
export interface BenchmarkSettings {
  benchmark_symbol?: string;
  benchmark_file?: string;
  no_benchmark?: boolean;
}

const BENCHMARK_SETTINGS = ["benchmark_symbol", "benchmark_file", "no_benchmark"] as const;

/**
 * The benchmark settings of the highest layer that has any: they are one choice, so
 * `--no-benchmark` on the command line replaces a config file's `benchmark_symbol` instead of
 * joining it. Two in one layer is an error naming them.
 *
 * @example
 * ```ts
 * benchmarkSettings({ no_benchmark: true }, { benchmark_symbol: "SPY" }); // { no_benchmark: true }
 * ```
 */
export function benchmarkSettings(...layers: LiveSettings[]): BenchmarkSettings {
  for (const layer of layers) {
    const set = BENCHMARK_SETTINGS.filter((k) => layer[k] !== undefined && layer[k] !== false);
    if (set.length > 1) {
      throw new InvalidInputError(set.join(", "), set.map((k) => layer[k]), "choose one");
    }
    if (set.length === 0) continue;
    const k = set[0];
    return k === "no_benchmark" ? { no_benchmark: true } : { [k]: String(layer[k]) };
  }
  return {};
}
