/**
 * The kill switch from outside the process: `harvester kill` writes `<state file>.kill` (with a
 * reason) and signals the session's process — only a process that holds the state file's lock
 * (session_lock.ts), never whatever pid an old file names. The session checks for the file at
 * every bar and on the signal. A file survives a restart: a killed session stays halted until the
 * file is removed.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { lockHolder } from "./session_lock.ts";

export const killFile = (statePath: string) => `${statePath}.kill`;

/** What `requestKill` did. */
export interface KillResult {
  /** The pid signalled: the session holding the state file's lock. */
  signalled: number | null;
  /** A pid file of an older version naming a process that holds no lock: removed, not signalled. */
  stalePid: number | null;
}

export function requestKill(statePath: string, reason: string): KillResult {
  writeFileSync(killFile(statePath), JSON.stringify({ reason, at: new Date().toISOString() }));
  const holder = lockHolder(statePath);
  let signalled: number | null = null;
  if (holder && Number.isFinite(holder.pid)) {
    try {
      Deno.kill(holder.pid, "SIGUSR1");
      signalled = holder.pid;
    } catch {
      // gone meanwhile: the file alone halts it at its next start
    }
  }
  const old = `${statePath}.pid`;
  let stalePid: number | null = null;
  if (existsSync(old)) {
    stalePid = Number(readFileSync(old, "utf8")) || null;
    rmSync(old, { force: true });
  }
  return { signalled, stalePid };
}

/** The kill request's reason, or null. */
export function killRequested(statePath: string): string | null {
  const f = killFile(statePath);
  if (!existsSync(f)) return null;
  try {
    return JSON.parse(readFileSync(f, "utf8")).reason ?? "kill switch";
  } catch {
    return "kill switch";
  }
}

export function clearKill(statePath: string): void {
  rmSync(killFile(statePath), { force: true });
}

/**
 * The per-bar kill check, at most once per `everyMs` of wall time: `harvester kill` signals the
 * process (which stops it at once), so the file is the fallback and needs no system call on
 * every bar of a fast replay. The first check always looks.
 */
export class KillWatch {
  private last = -Infinity;
  constructor(
    private readonly statePath: string,
    private readonly everyMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The kill request's reason, or null. */
  check(): string | null {
    const t = this.now();
    if (t - this.last < this.everyMs) return null;
    this.last = t;
    return killRequested(this.statePath);
  }
}
