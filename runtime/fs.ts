/**
 * File calls on Deno's own API for the modules every backtest loads. Importing `node:fs` costs
 * ≈ 10 ms of a process's start-up (Deno's Node layer builds it on first use); what a backtest
 * needs from it is these few calls. Errors are Deno's (`Deno.errors.NotFound`, …), which carry
 * the same `code` (`ENOENT`, …) as Node's.
 *
 * @module
 */
import { isAbsolute, join, normalize } from "node:path";

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

/**
 * Writes `bytes` to `path` (created or truncated) on the runtime's I/O threads. An open file
 * written in one call: `Deno.writeFile` took twice as long for a run's 20 MB of tables.
 */
export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
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
