/**
 * The environment every Harvester process starts with, beside its V8 flags (`v8_flags.ts`):
 * `deno task harvester` and `deno task demo`, a strategy folder's tasks (`harvester init`), a
 * sweep's cell processes and the benchmarks' child processes. It has to be there when the process
 * starts — the C library reads it before any of our code runs — so it is set by whatever starts
 * the process: a `deno.json` task's command line, or the parent's `Deno.Command`.
 *
 * `GLIBC_TUNABLES`, four settings of the C library's malloc:
 *
 * - `glibc.malloc.hugetlb=1`: malloc asks the kernel for transparent huge pages
 *   (`madvise(MADV_HUGEPAGE)`) for the memory it takes from it — Deno's, V8's compilers', DuckDB's.
 *   Where the kernel's THP mode is `madvise` (Debian's default, and this machine's), a 2 MB page
 *   then costs one page fault instead of 512. A page fault cost about 11 µs on the virtual
 *   machines measured (an mmap touched page by page), and a 100 × 2,520 user-written backtest
 *   with `-o perf.csv` took about 23,500 of them: a third of its time. With the tunable, medians
 *   of 12 interleaved cold runs: 23,600 → 18,900 faults and 788 → 711 ms in all (simulation
 *   511 → 462 ms), the same peak memory; a year of ten minute assets 526 → 503 ms (medians of
 *   5); live bar → order p99 unchanged (0.3–0.4 ms); a minute ingest of 10 M rows 679 k → 981 k
 *   rows/s at the same peak memory (one run each). A kernel in THP mode `always` or `never`, or
 *   another C library, ignores it. (`glibc.malloc.arena_max=1` took 4,700 faults more off but
 *   puts every thread — DuckDB's, V8's — on one allocator lock; the minute runs were no faster.)
 * - `glibc.malloc.mmap_threshold=33554432` (32 MiB) and `glibc.malloc.trim_threshold=67108864`
 *   (64 MiB): blocks below 32 MiB come from malloc's heap and go back to it when freed, instead
 *   of each being a mapping of its own, unmapped when freed. A backtest frees and asks again for
 *   such blocks all the time — V8's typed-array stores, its compilers' zones, the recorder's
 *   chunks, the writers' buffers — and each new mapping is fresh memory, a page fault per 4 KB
 *   touched. These are the values glibc moves to by itself (its "dynamic threshold": the
 *   threshold rises to the size of each mapped block freed, up to 32 MiB, with trimming at twice
 *   that); set from the start, the run does not pay the faults before it gets there, and memory
 *   is still handed back above 64 MiB free at the heap's top. Medians of interleaved cold runs,
 *   against `hugetlb=1` alone: the user-written backtest with `-o perf.csv` 1,700 faults fewer
 *   and 692 → 664 ms in all (simulation 451 → 426 ms, 20 runs each); 500 × 5,000 cross
 *   simulation 1,148 → 925 ms; a year of ten minute assets 501 → 473 ms (4 each), of a hundred
 *   3,733 → 3,108 ms (one each); the same peak memory in each; live p99 0.32–0.33 → 0.30–0.31 ms
 *   (two bench runs each).
 * - `glibc.malloc.top_pad=67108864` (64 MiB): when malloc's heap grows, it grows by 64 MiB more
 *   than asked (address space only: nothing is touched until used). With `hugetlb=1` the heap is
 *   advised for huge pages, but the kernel gives a 2 MB page only where the whole aligned 2 MB lies
 *   inside the mapping; grown by the default 128 KiB at a time, the heap's newest part never does,
 *   and that part is where fresh memory is touched. Against the three settings above, medians of
 *   16 interleaved cold runs of the user-written backtest with `-o perf.csv`: 17,000 → 11,800
 *   page faults, 722 → 672 ms in all; a year of ten minute assets 512 → 457 ms (3 each), of a
 *   hundred 3,483 → 3,259 ms (one each); 500 × 5,000 cross unchanged (907 vs 893 ms); peak
 *   memory 5–10 MB higher (2 MB pages); a 10 M-row minute ingest's peak within its run-to-run
 *   spread (766–911 MB without, 875–891 MB with); live p99 0.29 → 0.27 ms. On a host with strict
 *   overcommit accounting (`vm.overcommit_memory=2`) the padding counts against the commit limit
 *   (each of malloc's per-thread heaps starts with it too); there, set `glibc.malloc.top_pad=0`
 *   in your own `GLIBC_TUNABLES`. An installed `harvester` and the processes Harvester starts
 *   keep it (`withProcessEnv`); a `deno.json` task sets the variable on its own command line, so
 *   run that task's `deno run …` without the prefix.
 *
 * @module
 */

/** The variables, as a process's environment has them. */
export const PROCESS_ENV: Readonly<Record<string, string>> = {
  GLIBC_TUNABLES:
    "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864:glibc.malloc.top_pad=67108864",
};

/** The same as a command line's prefix (`deno.json` tasks): `NAME=value …`. */
export const PROCESS_ENV_PREFIX = Object.entries(PROCESS_ENV).map(([k, v]) => `${k}=${v}`)
  .join(" ");

/**
 * `env` with the process environment added, for a process Harvester starts. A tunable the parent
 * sets already is left as it is (a user's own `glibc.malloc.hugetlb=0` stays); ours go after the
 * parent's others.
 */
export function withProcessEnv(
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  const have = out.GLIBC_TUNABLES;
  if (!have) return { ...out, ...PROCESS_ENV };
  const named = new Set(have.split(":").map((t) => t.split("=")[0]));
  const ours = PROCESS_ENV.GLIBC_TUNABLES.split(":").filter((t) => !named.has(t.split("=")[0]));
  out.GLIBC_TUNABLES = [have, ...ours].join(":");
  return out;
}
