/** Run by bench/bundles.ts in its own process, so its peak RSS is the ingest's alone. */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ingest, load } from "../bundles/mod.ts";

const dir = Deno.args[0];
const root = join(tmpdir(), `hv-bench-minute-${Deno.pid}`);
const t0 = performance.now();
await ingest("csvdir", { root, environ: { CSVDIR: dir }, calendar: "24/7" });
const secs = (performance.now() - t0) / 1000;
const r = await load("csvdir", { root });
const [{ n }] = await r.sql("SELECT count(*)::BIGINT AS n FROM minute_bars");
r.close();
rmSync(root, { recursive: true, force: true });
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
console.log(JSON.stringify({ rows: Number(n), secs, peakMb: hwm ? Number(hwm[1]) / 1024 : NaN }));
