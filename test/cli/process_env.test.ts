/**
 * The environment Harvester's processes start with is one this Deno's C library reads: the
 * dynamic loader Deno runs under (found in a Deno process's own memory map) lists
 * `glibc.malloc.hugetlb`, `mmap_threshold`, `trim_threshold` and `top_pad` as set. glibc ignores
 * a tunable it does not know without a word, so a misspelt or unsupported one would otherwise go
 * unnoticed. Skipped where Deno does not run under glibc's loader (macOS, Windows, musl).
 */
import { describe, expect, test } from "vitest";
import { withProcessEnv } from "../../runtime/process_env.ts";

/** The glibc dynamic loader a Deno process runs under, or undefined. */
function loader(): string | undefined {
  if (Deno.build.os !== "linux") return undefined;
  const r = new Deno.Command(Deno.execPath(), {
    args: ["eval", 'console.log(Deno.readTextFileSync("/proc/self/maps"))'],
    stdout: "piped",
  }).outputSync();
  return /\s(\/\S*\/ld-linux[^/\s]*\.so[.\d]*)$/m.exec(new TextDecoder().decode(r.stdout))?.[1];
}

/** What the loader says of the malloc tunables in environment `env`. */
function tunables(ld: string, env: Record<string, string>): string {
  const r = new Deno.Command(ld, {
    args: ["--list-tunables"],
    env,
    clearEnv: true,
    stdout: "piped",
  })
    .outputSync();
  return new TextDecoder().decode(r.stdout);
}

describe("the process environment", () => {
  const ld = loader();
  test.skipIf(ld === undefined)(`glibc takes the tunables (loader: ${ld ?? "none"})`, () => {
    const ours = tunables(ld!, withProcessEnv({}));
    expect(ours).toMatch(/^glibc\.malloc\.hugetlb: 0x1 /m);
    // 32 MiB and 64 MiB, in hex as the loader lists them.
    expect(ours).toMatch(/^glibc\.malloc\.mmap_threshold: 0x2000000 /m);
    expect(ours).toMatch(/^glibc\.malloc\.trim_threshold: 0x4000000 /m);
    expect(ours).toMatch(/^glibc\.malloc\.top_pad: 0x4000000 /m);
    const none = tunables(ld!, {});
    expect(none).toMatch(/^glibc\.malloc\.hugetlb: 0x0 /m);
    expect(none).toMatch(/^glibc\.malloc\.mmap_threshold: 0x0 /m);
    // A parent's other tunables go through too.
    const both = tunables(ld!, withProcessEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=3" }));
    expect(both).toMatch(/^glibc\.malloc\.hugetlb: 0x1 /m);
    expect(both).toMatch(/^glibc\.malloc\.arena_max: 0x3 /m);
  });
});
