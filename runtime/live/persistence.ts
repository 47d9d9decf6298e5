/**
 * The session's state file: written after every bar atomically (temp file, fsync, rename, fsync
 * of the folder), with a schema version, the strategy file's hash and a sha256 of the content, so
 * a restart restores exactly what was written or refuses with a clear reason.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../fs.ts";
import { HarvesterError } from "../errors.ts";

export const STATE_SCHEMA = 1;

export class StateFileError extends HarvesterError {
  override name = "StateFileError";
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

interface Envelope<T> {
  schema: number;
  strategy_hash: string;
  sha256: string;
  written_at: string;
  state: T;
}

/** Writes `state` to `path` atomically. */
export function writeState<T>(path: string, state: T, strategyHash: string): void {
  const body = JSON.stringify(state);
  const env: Envelope<unknown> = {
    schema: STATE_SCHEMA,
    strategy_hash: strategyHash,
    sha256: sha256(body),
    written_at: new Date().toISOString(),
    state: null,
  };
  // The state is spliced in as text so its hash covers exactly the bytes written.
  const text = JSON.stringify(env).replace('"state":null', `"state":${body}`);
  writeFileAtomic(path, text, "save the session state to");
}

/**
 * Reads a state file: null when there is none; a `StateFileError` when it is damaged, from
 * another schema, or from another strategy file (use --fresh to start over).
 */
export function readState<T>(path: string, strategyHash: string): T | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, "utf8");
  let env: Envelope<T>;
  try {
    env = JSON.parse(text);
  } catch {
    throw new StateFileError(
      `${path} is not valid JSON (damaged?); move it away or start over with --fresh`,
    );
  }
  if (env.schema !== STATE_SCHEMA) {
    throw new StateFileError(
      `${path} has state schema ${env.schema}, this Harvester writes ${STATE_SCHEMA}; use --fresh`,
    );
  }
  const start = text.indexOf('"state":') + '"state":'.length;
  const body = text.slice(start, text.length - 1);
  if (sha256(body) !== env.sha256) {
    throw new StateFileError(
      `${path} fails its checksum (damaged or edited); use --fresh to start over`,
    );
  }
  if (env.strategy_hash !== strategyHash) {
    throw new StateFileError(
      `${path} was written by a different version of the strategy file; use --fresh to start over (or restore that file)`,
    );
  }
  return env.state;
}
