/**
 * Where bundles live: `$HARVESTER_ROOT/data/<bundle>/<version>/bundle.duckdb`, a version being
 * the UTC time of its ingestion written as zipline writes it (`2024-07-03T13;30;00.123456`, ':'
 * replaced by ';' so the name is valid on every file system).
 */
import { join } from "node:path";
import { homedir } from "node:os";
import { listDir } from "../runtime/fs.ts";

/** The root folder, from `HARVESTER_ROOT` or `~/.harvester`. */
export function harvesterRoot(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): string {
  return env.HARVESTER_ROOT || join(homedir(), ".harvester");
}

/** `$HARVESTER_ROOT/data/<bundle>`. */
export function bundleDir(root: string, bundle: string): string {
  return join(root, "data", bundle);
}

/** The database file inside a version folder. */
export const DB_FILE = "bundle.duckdb";

/** Version name of an instant: `YYYY-MM-DDTHH;MM;SS.ffffff` (UTC). */
export function versionName(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000").replaceAll(":", ";");
}

/** Instant of a version name, or NaN if the name is not one. */
export function versionTime(name: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2};\d{2};\d{2}(\.\d+)?$/.test(name)) return NaN;
  const iso = name.replaceAll(";", ":");
  const [main, frac = ""] = iso.split(".");
  return Date.parse(`${main}.${frac.padEnd(3, "0").slice(0, 3)}Z`);
}

/** One stored ingestion. */
export interface BundleVersion {
  bundle: string;
  name: string;
  /** UTC ms of the ingestion. */
  time: number;
  path: string;
}

/** Committed versions of a bundle, oldest first. Temporary folders (dot-names) are not versions. */
export function listVersions(root: string, bundle: string): BundleVersion[] {
  const dir = bundleDir(root, bundle);
  let names: string[];
  try {
    names = listDir(dir);
  } catch {
    return [];
  }
  const out: BundleVersion[] = [];
  for (const name of names) {
    const time = versionTime(name);
    if (Number.isNaN(time)) continue;
    const path = join(dir, name);
    try {
      if (!Deno.statSync(join(path, DB_FILE)).isFile) continue;
    } catch {
      continue;
    }
    out.push({ bundle, name, time, path });
  }
  return out.sort((a, b) => a.time - b.time || a.name.localeCompare(b.name));
}

/** Bundles that have a folder under the root (ingested at least once, or attempted). */
export function listBundleDirs(root: string): string[] {
  try {
    return listDir(join(root, "data")).filter((n) => !n.startsWith("."));
  } catch {
    return [];
  }
}

/** The newest version at or before `beforeMs` (default: the newest). */
export function pickVersion(
  versions: readonly BundleVersion[],
  beforeMs = Infinity,
): BundleVersion | undefined {
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i].time <= beforeMs) return versions[i];
  }
  return undefined;
}

/**
 * Parses a user's timestamp (`--bundle-timestamp`, `--before`): an ISO date or date-time (UTC
 * when no zone is given) or a version name.
 */
export function parseTimestamp(text: string): number {
  const v = versionTime(text);
  if (!Number.isNaN(v)) return v;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T23:59:59.999Z`);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  return Date.parse(hasZone ? text : `${text}Z`);
}
