/**
 * Files the runtime must not lose or half-write: an atomic replace (temp file, fsync, rename,
 * fsync of the folder, the temp file removed on any failure), append-only logs whose torn last
 * line (a crash mid-write) is cut off on open, and write failures that name the file and what was
 * being done (a full disk says which file it stopped).
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { HarvesterError } from "./errors.ts";

/** A write that failed, naming the file and the operation. */
export class FileWriteError extends HarvesterError {
  override name = "FileWriteError";
  constructor(readonly path: string, readonly operation: string, cause: unknown) {
    const why = (cause as Error)?.message ?? String(cause);
    super(
      `could not ${operation} ${path}: ${why}${
        /No space left|os error 28|ENOSPC/i.test(why)
          ? " (the disk is full: free space, then restart)"
          : ""
      }`,
    );
    this.cause = cause;
  }
}

/** Runs `write`, turning any failure into a `FileWriteError` naming `path` and `operation`. */
export function writing<T>(path: string, operation: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    if (e instanceof FileWriteError) throw e;
    throw new FileWriteError(path, operation, e);
  }
}

/**
 * Replaces `path` with `text` atomically: the old content or the new, never a torn file, and no
 * temp file left behind whatever fails.
 */
export function writeFileAtomic(path: string, text: string, what = "write"): void {
  const tmp = `${path}.tmp-${Deno.pid}`;
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    const dfd = openSync(dirname(path), "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new FileWriteError(path, what, e);
  }
}

/**
 * Cuts off a torn last line of an append-only file (a line without its newline), so the next
 * append starts a line of its own; returns the bytes dropped.
 */
export function cutTornTail(path: string): number {
  if (!existsSync(path)) return 0;
  const size = Deno.statSync(path).size;
  if (size === 0) return 0;
  const f = Deno.openSync(path, { read: true, write: true });
  try {
    const block = new Uint8Array(64 * 1024);
    let end = size;
    while (end > 0) {
      const from = Math.max(0, end - block.length);
      f.seekSync(from, Deno.SeekMode.Start);
      const n = f.readSync(block.subarray(0, end - from)) ?? 0;
      const k = block.subarray(0, n).lastIndexOf(10);
      if (k >= 0) {
        const keep = from + k + 1;
        if (keep < size) f.truncateSync(keep);
        return size - keep;
      }
      end = from;
    }
    f.truncateSync(0); // no whole line at all
    return size;
  } finally {
    f.close();
  }
}
