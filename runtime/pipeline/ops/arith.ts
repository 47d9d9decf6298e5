/**
 * Element-wise operations (zipline's numexpr expressions): arithmetic and math functions on
 * factors, comparisons producing filters, and `&`/`|`/`~` on filters. IEEE semantics as numexpr:
 * NaN compares false (and `!=` true), division by zero gives ±inf or NaN. A one-column input
 * (a slice) is broadcast across assets. Filters are and-ed with their mask, factors are not.
 */
import type { ComputeContext, ComputeInput, TermData, TermOp } from "../term.ts";

/** Arithmetic operators. */
export type MathOp = "+" | "-" | "*" | "/" | "**" | "%";
/** Comparison operators (they produce filters). */
export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
/** Math functions numexpr offers. */
export type MathFunc =
  | "sin"
  | "cos"
  | "tan"
  | "arcsin"
  | "arccos"
  | "arctan"
  | "sinh"
  | "cosh"
  | "tanh"
  | "arcsinh"
  | "arccosh"
  | "arctanh"
  | "log"
  | "log10"
  | "log1p"
  | "exp"
  | "expm1"
  | "sqrt"
  | "abs";

/** C's pow (JavaScript differs for a base of 1 or −1 with an infinite/NaN exponent). */
function cpow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

const MATH: Record<MathOp, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "**": cpow,
  // numexpr's float modulo follows Python: the result has the divisor's sign.
  "%": (a, b) => a - Math.floor(a / b) * b,
};

const COMPARE: Record<CompareOp, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

const FUNCS: Record<MathFunc, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  arcsinh: Math.asinh,
  arccosh: Math.acosh,
  arctanh: Math.atanh,
  log: Math.log,
  log10: Math.log10,
  log1p: Math.log1p,
  exp: Math.exp,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/** One operand: an input's array (broadcast when it has one column) or a constant. */
type Operand = { data: ArrayLike<number>; cols: number } | number;

function operands(
  inputs: ComputeInput[],
  ctx: ComputeContext,
  constant: number | null,
  side: "left" | "right",
): [Operand, Operand] {
  const arr = (x: ComputeInput): Operand => {
    const d = x as TermData;
    return { data: d, cols: d.length === ctx.rows ? 1 : ctx.cols };
  };
  if (constant === null) return [arr(inputs[0]), arr(inputs[1] ?? inputs[0])];
  return side === "right" ? [arr(inputs[0]), constant] : [constant, arr(inputs[0])];
}

function each(ctx: ComputeContext, x: Operand, y: Operand, f: (a: number, b: number) => void) {
  const { rows, cols } = ctx;
  for (let t = 0; t < rows; t++) {
    for (let j = 0; j < cols; j++) {
      const a = typeof x === "number" ? x : x.data[x.cols === 1 ? t : t * cols + j];
      const b = typeof y === "number" ? y : y.data[y.cols === 1 ? t : t * cols + j];
      f(a, b);
    }
  }
}

/** zipline's NumExpr text of a binary expression (part of the term's identity). */
function exprText(op: string, constant: number | null, side: "left" | "right"): string {
  if (constant === null) return `x_0 ${op} x_1`;
  return side === "right" ? `x_0 ${op} (${constant})` : `${constant} ${op} x_0`;
}

/** `x op y` between two factors (inputs 0 and 1; one input means `x op x`) or with a constant. */
export function mathOp(
  op: MathOp,
  constant: number | null = null,
  side: "left" | "right" = "right",
): TermOp {
  const f = MATH[op];
  return {
    name: "NumExprFactor",
    params: exprText(op, constant, side),
    compute(inputs, ctx) {
      const out = new Float64Array(ctx.rows * ctx.cols);
      const [x, y] = operands(inputs, ctx, constant, side);
      let k = 0;
      each(ctx, x, y, (a, b) => (out[k++] = f(a, b)));
      return out;
    },
  };
}

/** `-x` or `func(x)` of a factor. */
export function unaryOp(func: MathFunc | "neg"): TermOp {
  const f = func === "neg" ? (x: number) => -x : FUNCS[func];
  return {
    name: "NumExprFactor",
    params: func === "neg" ? "-x_0" : `${func}(x_0)`,
    compute(inputs) {
      const src = inputs[0] as Float64Array, out = new Float64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
      return out;
    },
  };
}

/** `x op y` comparing factors (or a factor and a constant), and-ed with the mask. */
export function compareOp(
  op: CompareOp,
  constant: number | null = null,
  side: "left" | "right" = "right",
): TermOp {
  const f = COMPARE[op];
  return {
    name: "NumExprFilter",
    params: exprText(op, constant, side),
    compute(inputs, ctx) {
      const out = new Uint8Array(ctx.rows * ctx.cols), mask = ctx.mask;
      const [x, y] = operands(inputs, ctx, constant, side);
      let k = 0;
      each(ctx, x, y, (a, b) => {
        out[k] = f(a, b) && mask[k] ? 1 : 0;
        k++;
      });
      return out;
    },
  };
}

/** `x & y` / `x | y` of filters (or with a boolean constant), and-ed with the mask. */
export function logicOp(op: "&" | "|", constant: boolean | null = null): TermOp {
  return {
    name: "NumExprFilter",
    params: constant === null ? `x_0 ${op} x_1` : `x_0 ${op} ${Number(constant)}`,
    compute(inputs, ctx) {
      const a = inputs[0] as Uint8Array, mask = ctx.mask, n = ctx.rows * ctx.cols;
      const b = constant === null ? inputs[1] as Uint8Array ?? a : null;
      const c = constant ? 1 : 0, out = new Uint8Array(n);
      const bc = b && b.length === ctx.rows ? 1 : ctx.cols,
        ac = a.length === ctx.rows ? 1 : ctx.cols;
      for (let t = 0, k = 0; t < ctx.rows; t++) {
        for (let j = 0; j < ctx.cols; j++, k++) {
          const x = a[ac === 1 ? t : k], y = b ? b[bc === 1 ? t : k] : c;
          out[k] = (op === "&" ? x & y : x | y) & mask[k];
        }
      }
      return out;
    },
  };
}

/** `~x` of a filter, and-ed with the mask. */
export function notOp(): TermOp {
  return {
    name: "NumExprFilter",
    params: "~x_0",
    compute(inputs, ctx) {
      const a = inputs[0] as Uint8Array, mask = ctx.mask, out = new Uint8Array(a.length);
      for (let k = 0; k < a.length; k++) out[k] = (a[k] ? 0 : 1) & mask[k];
      return out;
    },
  };
}
