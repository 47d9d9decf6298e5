/**
 * The kill switch from outside the process: `harvester kill` writes `<state file>.kill` (with a
 * reason) and signals the session's process (pid in `<state file>.pid`); the session checks for
 * the file at every bar and on the signal. A file survives a restart: a killed session stays
 * halted until the file is removed.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

export const killFile = (statePath: string) => `${statePath}.kill`;
export const pidFile = (statePath: string) => `${statePath}.pid`;

export function requestKill(statePath: string, reason: string): { signalled: number | null } {
  writeFileSync(killFile(statePath), JSON.stringify({ reason, at: new Date().toISOString() }));
  let signalled: number | null = null;
  if (existsSync(pidFile(statePath))) {
    const pid = Number(readFileSync(pidFile(statePath), "utf8"));
    try {
      Deno.kill(pid, "SIGUSR1");
      signalled = pid;
    } catch {
      // not running: the file alone halts it at its next start
    }
  }
  return { signalled };
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
