/**
 * The kill switch from outside the process: `harvester kill` writes `<state file>.kill` (with a
 * reason) and signals the session's process — only a process that holds the state file's lock
 * (session_lock.ts), never whatever pid an old file names. The session checks for the file at
 * every bar and on the signal. A file survives a restart: a killed session stays halted until
 * `harvester resume` lifts it (it removes the file and asks the session, running or at its next
 * start, to trade again — the only way out of HALTED, which a restart keeps).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { lockHolder } from "./session_lock.ts";

export const killFile = (statePath: string) => `${statePath}.kill`;
export const resumeFile = (statePath: string) => `${statePath}.resume`;

/** What `requestKill` did. */
export interface KillResult {
  /** The pid signalled: the session holding the state file's lock. */
  signalled: number | null;
  /** A pid file of an older version naming a process that holds no lock: removed, not signalled. */
  stalePid: number | null;
}

export function requestKill(statePath: string, reason: string): KillResult {
  rmSync(resumeFile(statePath), { force: true });
  writeFileSync(killFile(statePath), JSON.stringify({ reason, at: new Date().toISOString() }));
  const signalled = signalHolder(statePath, "SIGUSR1");
  const old = `${statePath}.pid`;
  let stalePid: number | null = null;
  if (existsSync(old)) {
    stalePid = Number(readFileSync(old, "utf8")) || null;
    rmSync(old, { force: true });
  }
  return { signalled, stalePid };
}

/** Signals the process holding the state file's lock; its pid, or null when none holds it. */
function signalHolder(statePath: string, signal: Deno.Signal): number | null {
  const holder = lockHolder(statePath);
  if (!holder || !Number.isFinite(holder.pid)) return null;
  try {
    Deno.kill(holder.pid, signal);
    return holder.pid;
  } catch {
    return null; // gone meanwhile: the file alone acts at its next start
  }
}

function reasonIn(path: string, fallback: string): string | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")).reason ?? fallback;
  } catch {
    return fallback;
  }
}

/** The kill request's reason, or null. */
export function killRequested(statePath: string): string | null {
  return reasonIn(killFile(statePath), "kill switch");
}

/**
 * Lifts a kill switch or a halt: the kill file goes, a resume request is left for the session
 * (`<state>.resume`), and the session holding the state file is signalled (SIGUSR2) so it acts at
 * its next bar; a session not running acts at its next start.
 */
export function requestResume(statePath: string, reason: string): { signalled: number | null } {
  rmSync(killFile(statePath), { force: true });
  writeFileSync(resumeFile(statePath), JSON.stringify({ reason, at: new Date().toISOString() }));
  return { signalled: signalHolder(statePath, "SIGUSR2") };
}

/** The resume request's reason, or null. */
export function resumeRequested(statePath: string): string | null {
  return reasonIn(resumeFile(statePath), "resumed");
}

export function clearResume(statePath: string): void {
  rmSync(resumeFile(statePath), { force: true });
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
