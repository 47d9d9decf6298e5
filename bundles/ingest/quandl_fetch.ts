/**
 * The network side of the quandl bundle: its settings from the environment, the WIKI/PRICES
 * datatable export request (polled while the service is still creating the file) and the
 * download of the bulk zip into the cache, every request through `fetchWithRetry` and a broken
 * download retried through `retrying` (`runtime/net/retry.ts`).
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { IngestError } from "../errors.ts";
import type { IngestArgs } from "../registry.ts";
import { backoffDelay, RetriesExhausted, retrying } from "../../runtime/net/retry.ts";
import { fetchWithRetry } from "./http.ts";

const SERVICE = "Nasdaq Data Link";
/** An export being built is polled this often before giving up (~12 min at the default base). */
const EXPORT_POLLS = 30;
const MB = 1024 * 1024;

export interface Config {
  apiKey: string;
  baseUrl: string;
  attempts: number;
  baseDelayMs: number;
}

function whole(env: IngestArgs["environ"], name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new IngestError(`${name} must be a whole number ≥ ${min} (got "${raw}")`);
  }
  return n;
}

/** The bundle's settings; a missing key or a bad number fails before any request. */
export function config(env: IngestArgs["environ"]): Config {
  const apiKey = env.QUANDL_API_KEY?.trim();
  if (!apiKey) {
    throw new IngestError(
      "the quandl bundle needs a Nasdaq Data Link API key: set QUANDL_API_KEY and retry" +
        " (a free key is on https://data.nasdaq.com/account/profile)",
    );
  }
  return {
    apiKey,
    baseUrl: (env.QUANDL_BASE_URL || "https://data.nasdaq.com/api/v3").replace(/\/+$/, ""),
    attempts: whole(env, "QUANDL_DOWNLOAD_ATTEMPTS", 5, 1),
    baseDelayMs: whole(env, "QUANDL_RETRY_BASE_MS", 500, 0),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** GET with retries; a refused API key becomes one error that says which variable to fix. */
async function get(url: string, cfg: Config, args: IngestArgs): Promise<Response> {
  try {
    return await fetchWithRetry(url, {}, {
      attempts: cfg.attempts,
      baseDelayMs: cfg.baseDelayMs,
      service: SERVICE,
      onRetry: (n, ms, why) => args.progress.note(`${SERVICE}: ${why}; retry ${n} in ${ms} ms`),
    });
  } catch (e) {
    // The service answers a bad key with HTTP 400 QEAx01, a missing entitlement with 403 QEPx…
    const code = e instanceof IngestError && /"code"\s*:\s*"(QE[AP]x\d+)"/.exec(e.message);
    if (!code) throw e;
    const said = /"message"\s*:\s*"([^"]+)"/.exec((e as Error).message)?.[1] ?? "";
    throw new IngestError(
      `${SERVICE} refused QUANDL_API_KEY (${code[1]}${said ? `: ${said}` : ""});` +
        ` check the key on https://data.nasdaq.com/account/profile`,
      {},
      { cause: e },
    );
  }
}

interface ExportFile {
  link: string | null;
  status: string;
}

function parseExport(text: string): ExportFile {
  let file: { link?: unknown; status?: unknown } | undefined;
  try {
    file = JSON.parse(text)?.datatable_bulk_download?.file;
  } catch {
    // reported below
  }
  if (!file || typeof file.status !== "string") {
    throw new IngestError(
      `${SERVICE} sent an export answer without a file status: ${text.slice(0, 200)}`,
    );
  }
  return { link: typeof file.link === "string" ? file.link : null, status: file.status };
}

/** The bulk file link; waits (with backoff) while the service is still creating the export. */
export async function exportLink(cfg: Config, args: IngestArgs): Promise<string> {
  const url = `${cfg.baseUrl}/datatables/WIKI/PRICES.json?qopts.export=true&api_key=${
    encodeURIComponent(cfg.apiKey)
  }`;
  for (let poll = 1;; poll++) {
    const file = parseExport(await (await get(url, cfg, args)).text());
    // "regenerating" still links the previous, complete file.
    if (file.link && (file.status === "fresh" || file.status === "regenerating")) return file.link;
    if (file.status !== "creating" && file.status !== "regenerating") {
      throw new IngestError(`${SERVICE}: unexpected WIKI/PRICES export status "${file.status}"`);
    }
    if (poll >= EXPORT_POLLS) {
      throw new IngestError(
        `${SERVICE}: the WIKI/PRICES export was not ready after ${poll} checks`,
      );
    }
    const delay = backoffDelay(poll, cfg.baseDelayMs, 30_000);
    args.progress.note(`${SERVICE} is preparing the WIKI/PRICES export; checking in ${delay} ms`);
    await sleep(delay);
  }
}

/** Streams `res` into `path`, failing (to be retried) when it ends short of its length. */
async function saveBody(res: Response, path: string, args: IngestArgs): Promise<void> {
  // fetch inflates a content-encoded body, so its length is only comparable when there is none.
  const encoded = res.headers.has("content-encoding");
  const length = encoded ? NaN : Number(res.headers.get("content-length") ?? NaN);
  args.progress.start("downloading WIKI/PRICES (MB)", Math.ceil((length || 0) / MB));
  const fd = openSync(path, "w");
  let bytes = 0;
  try {
    for await (const chunk of res.body ?? []) {
      writeSync(fd, chunk);
      const before = Math.floor(bytes / MB);
      bytes += chunk.length;
      args.progress.tick(Math.floor(bytes / MB) - before);
    }
  } finally {
    closeSync(fd);
  }
  if (Number.isFinite(length) && bytes !== length) {
    throw new Error(`the connection closed after ${bytes} of ${length} bytes`);
  }
  args.progress.done(`${(bytes / MB).toFixed(1)} MB`);
}

/** Downloads the export into the cache; a broken transfer is retried like a failed request. */
export async function download(link: string, dest: string, cfg: Config, args: IngestArgs) {
  const part = `${dest}.part`;
  try {
    await retrying("downloading WIKI/PRICES", async () => {
      const res = await get(link, cfg, args); // retried on its own; its IngestError ends it all
      try {
        await saveBody(res, part, args);
        renameSync(part, dest); // only a complete file ever has the cached name
      } catch (e) {
        rmSync(part, { force: true });
        throw e;
      }
    }, {
      attempts: cfg.attempts,
      baseDelayMs: cfg.baseDelayMs,
      maxDelayMs: 30_000,
      retryable: (e) => !(e instanceof IngestError),
      onRetry: (r) =>
        args.progress.note(
          `${SERVICE}: ${(r.error as Error).message}; retry ${r.attempt} in ${r.delayMs} ms`,
        ),
    });
  } catch (e) {
    if (!(e instanceof RetriesExhausted)) throw e;
    throw new IngestError(
      `${SERVICE}: downloading WIKI/PRICES failed ${e.attempts} times (${
        (e.cause as Error).message
      })`,
    );
  }
}
