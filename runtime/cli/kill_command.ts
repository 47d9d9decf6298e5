/**
 * `harvester kill` and `harvester resume`: the kill switch thrown and lifted from outside the
 * session's process (runtime/live/kill_switch.ts). Only the process holding the state file's lock
 * is ever signalled.
 */
import { resolve } from "node:path";
import { requestKill, requestResume } from "../live/kill_switch.ts";
import { type Command, stringOpt, UsageError } from "./command.ts";

function statePath(args: Parameters<Command["run"]>[0]): string {
  const path = stringOpt(args, "state-file");
  if (!path) throw new UsageError("--state-file F is required");
  return path;
}

export const killCommand: Command = {
  name: "kill",
  summary: "Throws a live session's kill switch: cancel open orders, then only cancels pass.",
  usage: "kill --state-file F [--reason TEXT]",
  help: ["--state-file F   the session's state file", "--reason TEXT    recorded in the journal"],
  options: { "state-file": { type: "string" }, reason: { type: "string" } },
  positionals: [0, 0],
  run(args, io) {
    const path = statePath(args);
    const r = requestKill(resolve(path), stringOpt(args, "reason") ?? "harvester kill");
    if (r.stalePid !== null) {
      io.stderr(
        `warning: ${path}.pid named process ${r.stalePid}, which holds no session on ${path}: ` +
          "not signalled; the stale pid file was removed\n",
      );
    }
    io.stdout(
      r.signalled
        ? `kill switch thrown; signalled process ${r.signalled} (the session holding ${path})\n`
        : `kill switch set; no session holds ${path} now: it halts at its next start\n`,
    );
    return Promise.resolve(0);
  },
};

export const resumeCommand: Command = {
  name: "resume",
  summary:
    "Lifts a kill switch or a halt (a restart's position drift, a loss limit): trading is ACTIVE again.",
  usage: "resume --state-file F [--reason TEXT]",
  help: [
    "--state-file F   the session's state file",
    "--reason TEXT    recorded in the journal (trading_resumed)",
    "A running session resumes at its next bar; one not running, at its next start.",
  ],
  options: { "state-file": { type: "string" }, reason: { type: "string" } },
  positionals: [0, 0],
  run(args, io) {
    const path = statePath(args);
    const r = requestResume(resolve(path), stringOpt(args, "reason") ?? "harvester resume");
    io.stdout(
      r.signalled
        ? `resume requested; signalled process ${r.signalled} (the session holding ${path}): it trades again from its next bar\n`
        : `resume requested; no session holds ${path} now: it trades again from its next start\n`,
    );
    return Promise.resolve(0);
  },
};
