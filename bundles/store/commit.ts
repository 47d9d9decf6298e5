/**
 * Atomic versions: an ingestion writes into a hidden temporary folder beside the versions and is
 * renamed into place only when complete, so a failed, interrupted or killed ingest never leaves a
 * visible version and never touches an earlier one.
 */
import { join } from "node:path";
import { listDir, removeAll, syncPath } from "../../runtime/fs.ts";
import { bundleDir, type BundleVersion, DB_FILE, versionName } from "../paths.ts";

const TMP_PREFIX = ".ingest-";

function pidAlive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/** Removes temporary folders left by ingests whose process is gone (e.g. killed with -9). */
export function removeStaleTemps(root: string, bundle: string): string[] {
  const dir = bundleDir(root, bundle);
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = listDir(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    if (!n.startsWith(TMP_PREFIX)) continue;
    const pid = Number(n.slice(n.lastIndexOf("-") + 1));
    if (Number.isInteger(pid) && pid !== Deno.pid && pidAlive(pid)) continue;
    removeAll(join(dir, n));
    removed.push(n);
  }
  return removed;
}

/** A version being written; `commit` publishes it, `abort` discards it. */
export class PendingVersion {
  readonly name: string;
  readonly tmpPath: string;
  readonly finalPath: string;
  private settled = false;

  constructor(readonly root: string, readonly bundle: string, now = Date.now()) {
    const dir = bundleDir(root, bundle);
    Deno.mkdirSync(dir, { recursive: true });
    this.name = versionName(now);
    this.tmpPath = join(dir, `${TMP_PREFIX}${this.name}-${Deno.pid}`);
    this.finalPath = join(dir, this.name);
    Deno.mkdirSync(this.tmpPath);
  }

  /** Path of the database file inside the temporary folder. */
  get dbPath(): string {
    return join(this.tmpPath, DB_FILE);
  }

  /** fsyncs the files, renames the folder into place and fsyncs the parent. */
  commit(): BundleVersion {
    if (this.settled) throw new Error("version already committed or aborted");
    for (const f of listDir(this.tmpPath)) syncPath(join(this.tmpPath, f));
    syncPath(this.tmpPath);
    Deno.renameSync(this.tmpPath, this.finalPath);
    syncPath(bundleDir(this.root, this.bundle));
    this.settled = true;
    return {
      bundle: this.bundle,
      name: this.name,
      time: Date.parse(this.name.replaceAll(";", ":").slice(0, 23) + "Z"),
      path: this.finalPath,
    };
  }

  /** Deletes the temporary folder; safe to call more than once. */
  abort(): void {
    if (this.settled) return;
    this.settled = true;
    removeAll(this.tmpPath);
  }
}
