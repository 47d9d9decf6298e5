/**
 * Reading and writing a number array at a byte position of an open file, whole: the binary
 * caches' only file access (Deno's own file API: `node:fs` would cost a backtest's start-up
 * ≈ 10 ms the first time it loads).
 *
 * @module
 */
import { BundleFormatError } from "../errors.ts";

/** Fills `into` from `file` at byte `position`; a file ending first is `what`'s format error. */
export function readAt(
  file: Deno.FsFile,
  into: Float64Array,
  position: number,
  what: string,
): void {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  file.seekSync(position, Deno.SeekMode.Start);
  for (let at = 0; at < bytes.length;) {
    const got = file.readSync(bytes.subarray(at));
    if (got === null) throw new BundleFormatError(`${what} is shorter than its header says`);
    at += got;
  }
}

/**
 * One asset's row of a cache's result: `put` fills `row[at…at + len)` (what the file holds),
 * the rest is `missing` — only that, since the row may be reused memory holding other values.
 */
export function placeRow(
  row: Float64Array,
  at: number,
  len: number,
  missing: number,
  put: (into: Float64Array) => void,
): void {
  if (at > 0) row.fill(missing, 0, at);
  if (at + len < row.length) row.fill(missing, at + len);
  if (len > 0) put(row.subarray(at, at + len));
}

/**
 * Runs `use` on a cache's data file: `open` while the cache is open, else (after its `close`: a
 * field first read once a run has ended) the file at `path`, opened for this call and closed.
 */
export function withFile<T>(
  open: Deno.FsFile | null,
  path: string,
  use: (file: Deno.FsFile) => T,
): T {
  const file = open ?? Deno.openSync(path, { read: true });
  try {
    return use(file);
  } finally {
    if (file !== open) file.close();
  }
}

/** Writes `values` into `file` at byte `position`. */
export function writeAt(file: Deno.FsFile, values: Float64Array, position: number): void {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  file.seekSync(position, Deno.SeekMode.Start);
  for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
}
