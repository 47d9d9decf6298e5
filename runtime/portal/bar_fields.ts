/**
 * Bar fields by number (open 0, high 1, low 2, close 3, volume 4), the order of the bundle's
 * BAR_FIELDS: the portal keeps its arrays in that order, and a switch on the name beats a lookup
 * by a dynamic string key on paths that run for every asset on every bar.
 */

/** A stored field's number, or -1 (`price` is derived from `close`; anything else is unknown). */
export function rawFieldNo(f: string): number {
  switch (f) {
    case "open":
      return 0;
    case "high":
      return 1;
    case "low":
      return 2;
    case "close":
      return 3;
    case "volume":
      return 4;
    default:
      return -1;
  }
}

/** Whether a window holds a NaN (no bar). */
export function hasNaN(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) return true;
  return false;
}

/**
 * One more minute `v` folded into a bar built so far (`acc`: NaN, or 0 for volume, before any):
 * the first open, the highest high, the lowest low, the last close, the summed volume. A minute
 * without a bar (NaN) leaves it as it is.
 */
export function addToBar(
  acc: number,
  v: number,
  field: "open" | "high" | "low" | "close" | "volume",
): number {
  if (v !== v) return acc;
  switch (field) {
    case "volume":
      return acc + v;
    case "open":
      return acc === acc ? acc : v;
    case "high":
      return acc === acc ? Math.max(acc, v) : v;
    case "low":
      return acc === acc ? Math.min(acc, v) : v;
    default:
      return v; // close: the last
  }
}
