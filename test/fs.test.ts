/** `runtime/fs.ts`: the backtest path's file calls on Deno's API answer as `node:fs` / `node:path` did. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { absolute, exists, fileUrl, listDir, removeAll, writeBytes } from "../runtime/fs.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hv-fs-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("runtime/fs.ts", () => {
  test("absolute() is node:path's resolve() for one path", () => {
    for (
      const p of ["algo.ts", "./a/../b.ts", "../x/y.ts", "/abs/./p/../q.ts", "", ".", "a//b/", "/"]
    ) {
      expect(absolute(p), p).toBe(resolve(p));
    }
  });

  test("fileUrl() is node:url's pathToFileURL(), odd characters included", () => {
    const names = [
      "algo.ts",
      "a b.ts",
      "x#y.ts",
      "q?.ts",
      "p%20q.ts",
      "back\\slash.ts",
      "über/ß.ts",
      "tab\t.ts",
      "new\nline.ts",
      "../up/./x.ts",
      "/abs/dir/",
      "semi;colon,comma'quote\"dq<lt>.ts",
    ];
    for (const n of names) expect(fileUrl(n).href, n).toBe(pathToFileURL(n).href);
  });

  test("exists, listDir (sorted as readdirSync), removeAll (nothing there is fine)", () => {
    for (const n of ["b.csv", "A.csv", "a.csv", ".hidden", "10", "9"]) {
      writeFileSync(join(dir, n), "x");
    }
    mkdirSync(join(dir, "sub", "deep"), { recursive: true });
    expect(listDir(dir)).toEqual(readdirSync(dir));
    expect(exists(join(dir, "a.csv"))).toBe(true);
    expect(exists(join(dir, "nope"))).toBe(false);
    removeAll(join(dir, "sub"));
    expect(exists(join(dir, "sub"))).toBe(false);
    removeAll(join(dir, "sub")); // again: no error
    expect(() => listDir(join(dir, "nope"))).toThrow(Deno.errors.NotFound);
  });

  test("writeBytes writes all of a large buffer, replacing what was there", async () => {
    const p = join(dir, "t.bin");
    writeFileSync(p, "old content that is longer than nothing");
    const bytes = new Uint8Array(5_000_000).map((_, i) => i % 251);
    await writeBytes(p, bytes);
    expect(Deno.readFileSync(p)).toEqual(bytes);
    await writeBytes(p, new Uint8Array([1, 2]));
    expect(Array.from(Deno.readFileSync(p))).toEqual([1, 2]);
  });
});
