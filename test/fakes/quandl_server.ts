/**
 * A fake Nasdaq Data Link on 127.0.0.1 for the quandl bundle: the datatable export endpoint
 * (`/api/v3/datatables/WIKI/PRICES.json?qopts.export=true&api_key=…`, answering as the real
 * service: `datatable_bulk_download.file.{link,status}` or a `quandl_error`) and the bulk file
 * link it hands out (a real zip holding one CSV in the WIKI/PRICES column layout).
 */
import { zipSync } from "fflate";

/** One WIKI/PRICES row; omitted fields are written empty. */
export interface WikiRow {
  ticker: string;
  date: string;
  open?: number | string;
  high?: number | string;
  low?: number | string;
  close?: number | string;
  volume?: number | string;
  ex_dividend?: number | string;
  split_ratio?: number | string;
}

/** How the fake answers; change it between requests with `server.script`. */
export interface QuandlScript {
  /** The key the fake accepts. @default "test-key" */
  apiKey: string;
  /** Statuses answered, in order, to the first export requests (500, 503, 429…). */
  exportFailures: number[];
  /** Statuses answered, in order, to the first file downloads. */
  downloadFailures: number[];
  /** Export requests answered with status "creating" (no link) before the file is ready. */
  creating: number;
  /** A valid key without access to WIKI: HTTP 403 QEPx02, as the real service. */
  noPermission: boolean;
  /** The bytes served as the bulk file; default `wikiZip(rows)`. */
  zip?: Uint8Array;
  rows: WikiRow[];
}

export interface FakeQuandl {
  /** `QUANDL_BASE_URL` to use: `http://127.0.0.1:<port>/api/v3`. */
  baseUrl: string;
  script: QuandlScript;
  /** Requests seen so far. */
  counts: { export: number; download: number };
  close(): Promise<void>;
}

export const WIKI_HEADER =
  "ticker,date,open,high,low,close,volume,ex-dividend,split_ratio,adj_open,adj_high,adj_low," +
  "adj_close,adj_volume";

/** A CSV as the WIKI/PRICES export has it (adjusted columns copy the raw ones). */
export function wikiCsv(rows: readonly WikiRow[]): string {
  const v = (x: number | string | undefined) => (x === undefined ? "" : String(x));
  const lines = rows.map((r) => {
    const raw = [r.open, r.high, r.low, r.close, r.volume].map(v);
    return [r.ticker, r.date, ...raw, v(r.ex_dividend ?? 0), v(r.split_ratio ?? 1), ...raw]
      .join(",");
  });
  return [WIKI_HEADER, ...lines].join("\n") + "\n";
}

/** A zip with one CSV, named as the real export names it. */
export function wikiZip(rows: readonly WikiRow[], csv = wikiCsv(rows)): Uint8Array {
  const name = "WIKI_PRICES_212b326a081eacca455e13140d7bb9db.csv";
  return zipSync({ [name]: new TextEncoder().encode(csv) }, { level: 6 });
}

function quandlError(status: number, code: string, message: string): Response {
  return Response.json({ quandl_error: { code, message } }, { status });
}

/** The error body the real service sends with each failing status. */
function failure(status: number): Response {
  if (status === 429) {
    return quandlError(
      429,
      "QELx01",
      "You have exceeded the API speed limit of 300 calls per 10 seconds.",
    );
  }
  return quandlError(
    status,
    "QEMx01",
    "Something went wrong. Please try again. If the problem persists, please contact support.",
  );
}

function exportAnswer(s: QuandlScript, key: string | null, origin: string, n: number): Response {
  if (key !== s.apiKey) {
    return quandlError(
      400,
      "QEAx01",
      "We could not recognize your API key. Please check your API key and try again.",
    );
  }
  if (s.noPermission) {
    return quandlError(
      403,
      "QEPx02",
      "You do not have permission to view this dataset. Please subscribe to this database to get access.",
    );
  }
  const creating = n <= s.creating;
  return Response.json({
    datatable_bulk_download: {
      file: {
        link: creating
          ? null
          : `${origin}/exports/WIKI_PRICES.zip?X-Amz-Expires=1800&X-Amz-Signature=fake`,
        status: creating ? "creating" : "fresh",
        data_snapshot_time: creating ? null : "2018-03-27 22:18:35 UTC",
      },
      datatable: { last_refreshed_time: "2018-03-27 21:46:10 UTC" },
    },
  });
}

/** Starts the fake on 127.0.0.1 at a free port. */
export function startQuandlServer(script: Partial<QuandlScript> = {}): FakeQuandl {
  const counts = { export: 0, download: 0 };
  const fake: FakeQuandl = {
    baseUrl: "",
    counts,
    script: {
      apiKey: "test-key",
      exportFailures: [],
      downloadFailures: [],
      creating: 0,
      noPermission: false,
      rows: [],
      ...script,
    },
    close: () => server.shutdown(),
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    const s = fake.script;
    if (url.pathname === "/api/v3/datatables/WIKI/PRICES.json") {
      const n = ++counts.export;
      if (n <= s.exportFailures.length) return failure(s.exportFailures[n - 1]);
      const past = s.exportFailures.length;
      return exportAnswer(s, url.searchParams.get("api_key"), url.origin, n - past);
    }
    if (url.pathname === "/exports/WIKI_PRICES.zip") {
      const n = ++counts.download;
      if (n <= s.downloadFailures.length) return failure(s.downloadFailures[n - 1]);
      const body = s.zip ?? wikiZip(s.rows);
      return new Response(body as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "application/zip", "content-length": String(body.length) },
      });
    }
    return quandlError(404, "QECx02", "You have submitted an incorrect Quandl code.");
  });
  fake.baseUrl = `http://127.0.0.1:${server.addr.port}/api/v3`;
  return fake;
}
