/**
 * The strategy's own state (`context.*`) as JSON: numbers, strings, booleans, arrays, plain
 * objects, and — tagged so they come back as themselves — assets (by sid), typed arrays, Maps,
 * Sets, Dates, NaN and ±Infinity. Functions and class instances the session cannot rebuild are
 * left out and reported, so a restart never silently loses a value it could have kept.
 */
import { Asset } from "../assets/asset.ts";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface EncodeResult {
  state: Record<string, Json>;
  /** `context.name` entries that could not be saved. */
  skipped: string[];
}

/** Objects on the path being encoded: one met again is a cycle (skipped, never followed). */
type Ancestors = Set<object>;

function encode(
  v: unknown,
  path: string,
  skipped: string[],
  seen: Ancestors = new Set(),
): Json | undefined {
  if (typeof v === "object" && v !== null) {
    if (seen.has(v)) {
      skipped.push(`${path} (refers to itself)`);
      return undefined;
    }
    seen.add(v);
    try {
      return encodeObject(v, path, skipped, seen);
    } catch (e) {
      skipped.push(`${path} (${(e as Error).message})`);
      return undefined;
    } finally {
      seen.delete(v);
    }
  }
  return encodeObject(v, path, skipped, seen);
}

function encodeObject(
  v: unknown,
  path: string,
  skipped: string[],
  seen: Ancestors,
): Json | undefined {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : { $num: String(v) };
  if (v === undefined) return { $undefined: true };
  if (v instanceof Asset) return { $asset: v.sid };
  if (v instanceof Date) return { $date: v.getTime() };
  if (v instanceof Float64Array) {
    return { $f64: Array.from(v, (x) => (Number.isFinite(x) ? x : String(x))) };
  }
  if (v instanceof Int8Array || v instanceof Int32Array || v instanceof Uint8Array) {
    return { [`$${v.constructor.name}`]: Array.from(v) };
  }
  if (Array.isArray(v)) return v.map((x, i) => encode(x, `${path}[${i}]`, skipped, seen) ?? null);
  if (v instanceof Map) {
    return {
      $map: [...v].map((
        [k, x],
        i,
      ) => [
        encode(k, `${path}.key${i}`, skipped, seen) ?? null,
        encode(x, `${path}.${i}`, skipped, seen) ?? null,
      ]),
    };
  }
  if (v instanceof Set) {
    return { $set: [...v].map((x, i) => encode(x, `${path}{${i}}`, skipped, seen) ?? null) };
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) {
      const e = encode(x, `${path}.${k}`, skipped, seen);
      if (e !== undefined) out[k] = e;
    }
    return out;
  }
  skipped.push(path);
  return undefined;
}

/** The context's own enumerable attributes, encoded. */
export function encodeContext(context: object): EncodeResult {
  const skipped: string[] = [];
  const state: Record<string, Json> = {};
  const seen: Ancestors = new Set([context]);
  for (const [k, v] of Object.entries(context)) {
    const e = encode(v, `context.${k}`, skipped, seen);
    if (e !== undefined) state[k] = e;
  }
  return { state, skipped };
}

function decode(v: Json, assetOf: (sid: number) => Asset | undefined): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => decode(x, assetOf));
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0].startsWith("$")) {
    const k = keys[0], x = v[k] as Json;
    switch (k) {
      case "$asset":
        return assetOf(x as number);
      case "$date":
        return new Date(x as number);
      case "$num":
        return Number(x);
      case "$undefined":
        return undefined;
      case "$f64":
        return Float64Array.from(x as (number | string)[], Number);
      case "$Int8Array":
        return Int8Array.from(x as number[]);
      case "$Int32Array":
        return Int32Array.from(x as number[]);
      case "$Uint8Array":
        return Uint8Array.from(x as number[]);
      case "$map":
        return new Map((x as Json[][]).map(([a, b]) => [decode(a, assetOf), decode(b, assetOf)]));
      case "$set":
        return new Set((x as Json[]).map((y) => decode(y, assetOf)));
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decode(x, assetOf);
  return out;
}

/** Writes saved attributes back onto a context. */
export function restoreContext(
  context: Record<string, unknown>,
  state: Record<string, Json>,
  assetOf: (sid: number) => Asset | undefined,
): void {
  for (const [k, v] of Object.entries(state)) context[k] = decode(v, assetOf);
}
