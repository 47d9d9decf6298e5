/**
 * `runtime/fs.ts`: the file calls on Deno's API answer as `node:fs` / `node:path` did, and the
 * durable ones (atomic replace, torn-line cut, named failures) keep their promises.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  absolute,
  cutTornTail,
  exists,
  fileUrl,
  FileWriteError,
  listDir,
  OutputFile,
  removeAll,
  writeBytes,
  writeFileAtomic,
  writing,
} from "../runtime/fs.ts";

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

  test("writeFileAtomic replaces the whole file and leaves no temporary file", () => {
    const p = join(dir, "state.json");
    writeFileAtomic(p, "first version, the longer one\n");
    writeFileAtomic(p, "é second\n");
    expect(Deno.readTextFileSync(p)).toBe("é second\n");
    expect(listDir(dir)).toEqual(["state.json"]);
  });

  test("a write that fails names the file and the operation, and leaves nothing behind", () => {
    const p = join(dir, "missing", "state.json");
    expect(() => writeFileAtomic(p, "x", "save the session state to")).toThrow(FileWriteError);
    expect(() => writeFileAtomic(p, "x", "save the session state to")).toThrow(
      new RegExp(`could not save the session state to ${p}: .*No such file`),
    );
    expect(listDir(dir)).toEqual([]);
    const e = (() => {
      try {
        return writing(p, "append to", () => Deno.writeTextFileSync(p, "x", { append: true }));
      } catch (e) {
        return e;
      }
    })();
    expect(e).toBeInstanceOf(FileWriteError);
    expect((e as FileWriteError).path).toBe(p);
  });

  test("an OutputFile written beside its name takes it only at commit; abort leaves the earlier", () => {
    const p = join(dir, "t.csv");
    const a = new OutputFile(p, true);
    a.write(new TextEncoder().encode("one\n"));
    expect(listDir(dir)).toEqual([`t.csv.tmp-${Deno.pid}`]); // nothing under the name yet
    a.commit();
    expect(Deno.readTextFileSync(p)).toBe("one\n");
    const b = new OutputFile(p, true);
    b.write(new TextEncoder().encode("two\n"));
    b.abort();
    expect(listDir(dir)).toEqual(["t.csv"]);
    expect(Deno.readTextFileSync(p)).toBe("one\n");
  });

  test("what stopped processes left beside an output goes when it is written again", () => {
    const p = join(dir, "t.csv");
    // Above Linux's largest process id (2^22): no process has it. Process 1 always runs.
    const left = ["t.csv.tmp-4194399", "t.csv.tmp-1", "t.csv.tmp-x", "u.csv.tmp-4194399"];
    for (const n of left) writeFileSync(join(dir, n), "left");
    new OutputFile(p, true).commit();
    expect(listDir(dir)).toEqual(["t.csv", "t.csv.tmp-1", "t.csv.tmp-x", "u.csv.tmp-4194399"]);
  });

  test("cutTornTail drops a last line without its newline, and only that", () => {
    const p = join(dir, "log.jsonl");
    expect(cutTornTail(p)).toBe(0); // no file
    writeFileSync(p, '{"a":1}\n{"b":2}\n{"c":');
    expect(cutTornTail(p)).toBe(5);
    expect(Deno.readTextFileSync(p)).toBe('{"a":1}\n{"b":2}\n');
    expect(cutTornTail(p)).toBe(0);
    writeFileSync(p, "no newline at all");
    expect(cutTornTail(p)).toBe(17);
    expect(Deno.readTextFileSync(p)).toBe("");
    // A torn line longer than the 64 kB read block.
    writeFileSync(p, `whole\n${"x".repeat(100_000)}`);
    expect(cutTornTail(p)).toBe(100_000);
    expect(Deno.readTextFileSync(p)).toBe("whole\n");
  });
});
