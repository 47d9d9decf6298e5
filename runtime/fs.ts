/**
 * File calls on Deno's own API. Importing `node:fs` costs ≈ 10 ms of a process's start-up (Deno's
 * Node layer builds it on first use), and what the runtime needs from it is these few calls.
 * Errors are Deno's (`Deno.errors.NotFound`, …), which carry the same `code` (`ENOENT`, …) as
 * Node's.
 *
 * Files the runtime must not lose or half-write (a live session's state, journal and perf log)
 * have their own calls here: an atomic replace (temp file, fsync, rename, fsync of the folder, the
 * temp file removed on any failure), the cut of an append-only log's torn last line (a crash
 * mid-write), and write failures that name the file and what was being done (a full disk says
 * which file it stopped).
 *
 * @module
 */
import { basename, dirname, isAbsolute, join, normalize } from "node:path";
import { HarvesterError } from "./errors.ts";

/** Whether something is at `path` (following links), as `existsSync` answers. */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes `path` and all it holds; nothing there is fine (`rm -rf`, `rmSync(…, { force })`). */
export function removeAll(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** The names in a folder, sorted (as `readdirSync` lists them: libuv sorts its scandir). */
export function listDir(path: string): string[] {
  const names: string[] = [];
  for (const e of Deno.readDirSync(path)) names.push(e.name);
  return names.sort();
}

/** Writes `bytes` to `path` (created or replaced: see `writePieces`). */
export function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  return writePieces(path, [bytes]);
}

/**
 * Writes `pieces` one after another to `path` (created or replaced), each written before the next
 * is made, so a maker may reuse a piece's buffer for the one after the next.
 *
 * Written with `writeSync`: Deno's asynchronous file write ran on the main thread all the same
 * (it overlapped nothing) and took twice as long — 14 against 7 ms for 25 MB in pieces of 256 KB
 * to four new files, the size of a 100 × 2,520 run's CSV tables. Writes into the page cache do not
 * wait for the disk.
 *
 * An existing file is replaced by a new one written beside it (no fsync: an output, not state),
 * not truncated and rewritten: on ext4, truncating 25 MB of earlier output and writing it again
 * took 25 ms against 9 — the freed blocks and, on close, the forced write-out of a file truncated
 * to zero (`auto_da_alloc`). The earlier file steps aside before the new one takes its name and is
 * removed off the main thread: renamed over, its blocks were freed inside the rename (11 ms of
 * every rewrite of a run's CSV tables), now while the next file is encoded. It also loses nothing
 * when the writing fails: the earlier file stays whole and the new one is removed. Anything but a
 * regular file (a link, a device such as `/dev/null`, a pipe) is written in place.
 */
export function writePieces(path: string, pieces: Iterable<Uint8Array>): Promise<void> {
  try {
    const out = new OutputFile(path);
    try {
      for (const piece of pieces) out.write(piece);
    } catch (e) {
      out.abort();
      throw e;
    }
    return out.commit();
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * A file written as its pieces come (`writePieces`' way, for pieces that arrive over time: a
 * run's tables written while it goes on): opened at once, each piece written when given,
 * `commit` gives it its name, `abort` removes what was written and leaves any earlier file.
 */
export class OutputFile {
  readonly #file: Deno.FsFile;
  readonly #into: string;
  #open = true;

  /**
   * `beside`: written beside `path` under another name even when nothing is there yet, so a
   * process stopped before `commit` leaves no half-written file under the output's name.
   */
  constructor(readonly path: string, beside = false) {
    removeStale(path);
    const { file, into } = openTarget(path, beside);
    this.#file = file;
    this.#into = into;
  }

  write(piece: Uint8Array): void {
    for (let at = 0; at < piece.length;) at += this.#file.writeSync(piece.subarray(at));
  }

  /** Closes the file and gives it its name; the earlier file's removal is what is returned. */
  commit(): Promise<void> {
    this.#close();
    const path = this.path, into = this.#into;
    if (into === path) return Promise.resolve();
    const old = `${path}.old-${Deno.pid}`;
    try {
      Deno.renameSync(path, old);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      Deno.renameSync(into, path); // nothing there before (or since: it was removed meanwhile)
      return Promise.resolve();
    }
    try {
      Deno.renameSync(into, path);
    } catch (e) {
      Deno.renameSync(old, path);
      throw e;
    }
    return Deno.remove(old).catch(() => {}); // a leftover is only disk space, never the output
  }

  /** Closes the file and removes what was written into it (an earlier file stays). */
  abort(): void {
    if (!this.#open) return;
    this.#close();
    if (this.#into !== this.path) removeAll(this.#into);
  }

  #close(): void {
    if (this.#open) this.#file.close();
    this.#open = false;
  }
}

const FROM_EMPTY = { write: true, create: true, truncate: true };

/** Where an `OutputFile` of `path` written beside it is, until it takes the name. */
export function besidePath(path: string): string {
  return `${path}.tmp-${Deno.pid}`;
}

/**
 * Removes what processes no longer running left beside `path` (`besidePath`: a backtest stopped
 * by Ctrl-C while its tables were being written), each time an output is written there. Where
 * `/proc` does not say which processes run, nothing is removed.
 */
function removeStale(path: string): void {
  if (!exists("/proc/self")) return;
  const dir = dirname(path), prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = listDir(dir);
  } catch {
    return; // no folder (yet): nothing left there
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = name.slice(prefix.length);
    if (!/^\d+$/.test(pid) || Number(pid) === Deno.pid || exists(`/proc/${pid}`)) continue;
    removeAll(join(dir, name));
  }
}

/**
 * The file `path`'s new content goes into, open and empty: a new one beside `path` when that is a
 * regular file already (it takes the name afterwards), else `path` itself — also when its folder
 * lets no new file be made beside a file that may be written. `beside`: also when nothing is
 * there yet.
 */
function openTarget(path: string, beside: boolean): { file: Deno.FsFile; into: string } {
  let regular = false;
  try {
    regular = Deno.lstatSync(path).isFile;
  } catch (e) {
    // not there (or not to be looked at): made by the write itself
    regular = beside && e instanceof Deno.errors.NotFound;
  }
  if (regular) {
    const tmp = besidePath(path);
    try {
      return { file: Deno.openSync(tmp, FROM_EMPTY), into: tmp };
    } catch (e) {
      if (!(e instanceof Deno.errors.PermissionDenied)) throw e;
    }
  }
  return { file: Deno.openSync(path, FROM_EMPTY), into: path };
}

/**
 * `path` made absolute against the working directory, as `node:path`'s `resolve(path)` — whose
 * first call costs 4–7 ms here (it builds Node's `process` to ask it for the directory).
 */
export function absolute(path: string): string {
  const p = isAbsolute(path) ? normalize(path) : join(Deno.cwd(), path);
  const trimmed = p.replace(/[\\/]+$/, ""); // no trailing separator, as `resolve` gives
  return trimmed === "" ? p : trimmed;
}

/**
 * `path` as a `file:` URL, as `node:url`'s `pathToFileURL` writes it (which resolves the path
 * through `node:path`, building Node's `process` first). The URL's path setter escapes what a
 * path may hold but a URL may not (spaces, `#`, `?`, non-ASCII); `%`, a backslash and control
 * characters are escaped before it, as Node does.
 */
export function fileUrl(path: string): URL {
  const url = new URL("file:///"), abs = absolute(path);
  // A folder's trailing slash is kept, as Node keeps it.
  url.pathname = (path.endsWith("/") && !abs.endsWith("/") ? `${abs}/` : abs).replace(
    /[%\\\n\r\t]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return url;
}

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

/** Flushes a file or a folder (its entries: a rename into it) to the disk. */
export function syncPath(path: string): void {
  using f = Deno.openSync(path, { read: true });
  f.syncSync();
}

/**
 * Replaces `path` with `text` atomically: the old content or the new, never a torn file, and no
 * temp file left behind whatever fails.
 */
export function writeFileAtomic(path: string, text: string, what = "write"): void {
  const tmp = `${path}.tmp-${Deno.pid}`;
  try {
    {
      using file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
      const bytes = new TextEncoder().encode(text);
      for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
      file.syncSync();
    }
    Deno.renameSync(tmp, path);
    syncPath(dirname(path) || ".");
  } catch (e) {
    removeAll(tmp);
    throw new FileWriteError(path, what, e);
  }
}

/**
 * Cuts off a torn last line of an append-only file (a line without its newline), so the next
 * append starts a line of its own; returns the bytes dropped.
 */
export function cutTornTail(path: string): number {
  if (!exists(path)) return 0;
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
