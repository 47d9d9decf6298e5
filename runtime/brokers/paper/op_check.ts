/**
 * The shape of each paper venue op, checked when its op-log is read back: a line that passes its
 * hash chain must still be an op this venue writes, with numbers where numbers go.
 */

const num = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const str = (v: unknown) => typeof v === "string";
const price = (v: unknown) => v === null || (num(v) && (v as number) > 0);

const SHAPES: Record<string, Record<string, (v: unknown) => boolean>> = {
  submit: {
    coid: str,
    id: str,
    symbol: str,
    amount: (v) => num(v) && Number.isInteger(v) && v !== 0,
    limit: price,
    stop: price,
    created: num,
  },
  cancel: { coid: str, dt: num },
  fill: { coid: str, exec: str, symbol: str, amount: num, price: num, commission: num, time: num },
  trigger: {
    coid: str,
    limit_reached: (v) => typeof v === "boolean",
    stop_reached: (v) => typeof v === "boolean",
    stop: price,
    dt: num,
  },
  split: { symbol: str, ratio: (v) => num(v) && (v as number) > 0, session: num },
  bar: { time: num },
};

/** What is wrong with an op (null: nothing). */
export function checkOp(op: Record<string, unknown>): string | null {
  const shape = SHAPES[String(op.op)];
  if (!shape) return `unknown op ${JSON.stringify(op.op)}`;
  for (const [field, ok] of Object.entries(shape)) {
    if (!ok(op[field])) {
      return `op ${op.op}: field ${field} is ${JSON.stringify(op[field]) ?? "missing"}`;
    }
  }
  return null;
}
