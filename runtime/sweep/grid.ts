/**
 * Parameter grids: `--grid NAME=V1,V2,…` axes and every combination of them, in a stable order
 * (the first axis varies slowest), each combination a `context.params` object as `-D` makes it.
 *
 * @module
 */
import { SweepSettingsError } from "./errors.ts";

/** One axis of a grid: a parameter name and the values it takes (strings, as `-D` gives them). */
export interface GridAxis {
  name: string;
  values: string[];
}

/** One combination: parameter name → value. */
export type Params = Record<string, string>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `--grid` arguments into axes.
 *
 * @example
 * ```ts
 * parseGrid(["short=5,10", "long=20,40"]);
 * // [{ name: "short", values: ["5", "10"] }, { name: "long", values: ["20", "40"] }]
 * ```
 */
export function parseGrid(args: readonly string[]): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const arg of args) {
    const at = arg.indexOf("=");
    if (at <= 0) throw new SweepSettingsError(`--grid: "${arg}" is not NAME=V1,V2,…`);
    const name = arg.slice(0, at).trim();
    if (!NAME.test(name)) {
      throw new SweepSettingsError(
        `--grid: "${name}" is not a parameter name (letters, digits and _, not starting with a digit)`,
      );
    }
    const values = arg.slice(at + 1).split(",").map((v) => v.trim());
    if (values.some((v) => v === "")) {
      throw new SweepSettingsError(`--grid ${name}: an empty value in "${arg}"`);
    }
    if (new Set(values).size !== values.length) {
      throw new SweepSettingsError(`--grid ${name}: a value is repeated in "${arg}"`);
    }
    if (axes.some((a) => a.name === name)) {
      throw new SweepSettingsError(`--grid ${name} is given twice; list all its values in one`);
    }
    axes.push({ name, values });
  }
  return axes;
}

/**
 * Axes from a notebook's `{ name: [values] }` object (numbers become their `-D` text).
 *
 * @example
 * ```ts
 * gridAxes({ short: [5, 10], long: [20, 40] });
 * ```
 */
export function gridAxes(grid: Record<string, readonly (string | number | boolean)[]>): GridAxis[] {
  return parseGrid(Object.entries(grid).map(([name, vs]) => `${name}=${vs.map(String).join(",")}`));
}

/**
 * Every combination of the axes, the first axis varying slowest (as nested loops read).
 *
 * @example
 * ```ts
 * combinations([{ name: "a", values: ["1", "2"] }, { name: "b", values: ["x", "y"] }]);
 * // [{a:"1",b:"x"}, {a:"1",b:"y"}, {a:"2",b:"x"}, {a:"2",b:"y"}]
 * ```
 */
export function combinations(axes: readonly GridAxis[]): Params[] {
  let out: Params[] = [{}];
  for (const axis of axes) {
    out = out.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.name]: v })));
  }
  return out;
}

/** `short=5,long=20`: a combination as one short label. */
export function paramsLabel(params: Params): string {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(",");
}
