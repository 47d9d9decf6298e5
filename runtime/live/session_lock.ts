/**
 * One process per state file: an exclusive OS lock (flock, through Deno's `FsFile.tryLock`) on
 * `<state>.lock`, held for the session's whole life. The operating system releases it when the
 * process ends in any way — `kill -9` included — so a lock is never stale; the file only says who
 * holds it (pid, start time). `harvester kill` signals only a process that holds the lock.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { HarvesterError } from "../errors.ts";

export const lockFile = (statePath: string) => `${statePath}.lock`;

/** Who holds a state file's lock (as its holder wrote it). */
export interface LockHolder {
  pid: number;
  /** ISO time the session started. */
  started: string;
}

/** A second session on a state file another one holds. */
export class SessionLockedError extends HarvesterError {
  override name = "SessionLockedError";
  constructor(readonly statePath: string, readonly holder: LockHolder | null) {
    super(
      `another session (${
        holder ? `pid ${holder.pid}, started ${holder.started}` : "pid unknown"
      }) holds ${statePath}; stop it first (Ctrl-C, or harvester kill --state-file ${statePath}), ` +
        "or use another --state-file",
    );
  }
}

/** The holder recorded in a lock file (null when unreadable). */
function holderOf(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, "utf8"));
    return typeof h.pid === "number" ? h : null;
  } catch {
    return null;
  }
}

/** A held lock: release it when the session ends. */
export class SessionLock {
  private constructor(private readonly file: Deno.FsFile, readonly path: string) {}

  /**
   * Takes the state file's lock, or throws `SessionLockedError` naming the holder. Taken before
   * anything of the session is read or removed (`--fresh` included).
   */
  static acquire(statePath: string, now: () => number = Date.now): SessionLock {
    const path = lockFile(statePath);
    const file = Deno.openSync(path, { read: true, write: true, create: true });
    if (!file.tryLockSync(true)) {
      file.close();
      throw new SessionLockedError(statePath, holderOf(path));
    }
    const holder: LockHolder = { pid: Deno.pid, started: new Date(now()).toISOString() };
    file.truncateSync(0);
    file.writeSync(new TextEncoder().encode(JSON.stringify(holder)));
    file.syncSync();
    return new SessionLock(file, path);
  }

  release(): void {
    try {
      this.file.truncateSync(0);
      this.file.unlockSync();
    } finally {
      this.file.close();
    }
  }
}

/**
 * The process holding a state file's lock, or null when none does (a lock file left by an ended
 * session says nothing: the lock went with its process).
 */
export function lockHolder(statePath: string): LockHolder | null {
  const path = lockFile(statePath);
  if (!existsSync(path)) return null;
  const file = Deno.openSync(path, { read: true, write: true });
  try {
    if (file.tryLockSync(true)) {
      file.unlockSync();
      return null;
    }
    return holderOf(path) ?? { pid: NaN, started: "unknown" };
  } finally {
    file.close();
  }
}

/** Removes the pid file older versions wrote (`<state>.pid`): the lock file replaces it. */
export function removeOldPidFile(statePath: string): void {
  rmSync(`${statePath}.pid`, { force: true });
}
