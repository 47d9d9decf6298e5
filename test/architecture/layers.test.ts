/**
 * The layer order of `runtime/` as the README's layout section documents it: every import between
 * two of its top-level folders points down that order (or stays within one layer without a cycle).
 * The order is read from the README itself, so the two cannot drift apart.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const runtime = join(repo, "runtime");

/** The layers, top first, from the README's `<!-- layers -->` line. */
function documentedLayers(): string[][] {
  const readme = readFileSync(join(repo, "README.md"), "utf8").split("\n");
  const at = readme.findIndex((l) => l.includes("<!-- layers -->"));
  if (at < 0) throw new Error("README.md has no <!-- layers --> line in its layout section");
  // The paragraph after the marker (the formatter may wrap it over several lines).
  const rest = readme.slice(at + 1);
  const first = rest.findIndex((l) => l.trim() !== "");
  const end = rest.findIndex((l, i) => i > first && l.trim() === "");
  const line = rest.slice(first, end < 0 ? undefined : end).join(" ");
  return line.replace(/`/g, "").split("→").map((layer) =>
    layer.split(/[,·]/).map((s) => s.trim()).filter(Boolean)
  );
}

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith(".ts")) yield p;
  }
}

/** The top-level folder of a runtime file ("(root)" for files directly in runtime/). */
function folderOf(file: string): string {
  const parts = relative(runtime, file).split(sep);
  return parts.length > 1 ? parts[0] : "(root)";
}

/** Every import (static, re-export, dynamic) of a file into another runtime folder. */
function crossImports(): { from: string; to: string; file: string; spec: string }[] {
  const out = [];
  const pattern = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;
  for (const file of files(runtime)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(pattern)) {
      const target = normalize(join(dirname(file), m[1]));
      if (!target.startsWith(runtime + sep)) continue; // calendars/, bundles/: below runtime/
      const from = folderOf(file), to = folderOf(target);
      if (from !== to) out.push({ from, to, file: relative(repo, file), spec: m[1] });
    }
  }
  return out;
}

/** Imports of `bundles/` and `calendars/` files into runtime/, by the runtime folder reached. */
function importsIntoRuntime(): { to: string; file: string; spec: string }[] {
  const out = [];
  const pattern = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;
  for (const top of ["bundles", "calendars"]) {
    for (const file of files(join(repo, top))) {
      for (const m of readFileSync(file, "utf8").matchAll(pattern)) {
        const target = normalize(join(dirname(file), m[1]));
        if (target.startsWith(runtime + sep)) {
          out.push({ to: folderOf(target), file: relative(repo, file), spec: m[1] });
        }
      }
    }
  }
  return out;
}

describe("the layer order of runtime/", () => {
  const layers = documentedLayers();
  const rank = new Map<string, number>();
  layers.forEach((names, i) => names.forEach((n) => rank.set(n, i)));
  rank.set("(root)", layers.length); // errors.ts, log.ts: below everything
  const imports = crossImports();

  test("every top-level folder of runtime/ has a place in the documented order", () => {
    const folders = readdirSync(runtime).filter((n) => statSync(join(runtime, n)).isDirectory());
    expect(folders.filter((f) => !rank.has(f))).toEqual([]);
  });

  test("imports only point down the order", () => {
    const upward = imports.filter((i) => rank.get(i.to)! < rank.get(i.from)!)
      .map((i) => `${i.file} imports ${i.spec} (${i.from} → ${i.to})`);
    expect(upward).toEqual([]);
  });

  test("no cycle between folders (within a layer either)", () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
      if (!edges.has(i.from)) edges.set(i.from, new Set());
      edges.get(i.from)!.add(i.to);
    }
    const cycles: string[] = [];
    const visit = (n: string, path: string[]) => {
      for (const m of edges.get(n) ?? []) {
        if (path.includes(m)) cycles.push([...path.slice(path.indexOf(m)), m].join(" → "));
        else visit(m, [...path, m]);
      }
    };
    for (const n of edges.keys()) visit(n, [n]);
    expect([...new Set(cycles)]).toEqual([]);
  });

  test("bundles/ and calendars/ (used by portal/ and up) reach only runtime/'s bottom layer", () => {
    const bottom = new Set([...layers[layers.length - 1], "(root)"]);
    const found = importsIntoRuntime();
    expect(found.filter((i) => !bottom.has(i.to)).map((i) => `${i.file} imports ${i.spec}`))
      .toEqual([]);
    // The check sees them: the ingesters retry through runtime/net/.
    expect(found.some((i) => i.file === "bundles/ingest/http.ts" && i.to === "net")).toBe(true);
  });

  test("the check finds what it looks for (an upward import is caught)", () => {
    // The engine imports the API (down); the API must never import the engine (up).
    expect(imports.some((i) => i.from === "engine" && i.to === "api")).toBe(true);
    expect(rank.get("engine")!).toBeLessThan(rank.get("api")!);
  });
});
