/**
 * The execution plan of a pipeline over one chunk of days: every distinct term reachable from
 * the outputs (shared sub-terms once, by `uid`), in dependency order, with the extra leading
 * rows each must compute so that the windows of the terms using it are full on the first day
 * (zipline's `ExecutionPlan.extra_rows`), and reference counts to free intermediates early.
 */
import { rootMaskTerm, type Term } from "./term.ts";

/** Where the screen is kept among the outputs. */
export const SCREEN_NAME = "__screen__";

/** A pipeline's terms, their order and extra rows, for one chunk (see the module docs). */
export class ExecutionPlan {
  /** Terms in dependency order (inputs and masks before the terms using them). */
  readonly order: Term[] = [];
  /** Extra rows to compute per term uid. */
  readonly extra = new Map<number, number>();
  /** Output terms by column name, plus the screen under `SCREEN_NAME`. */
  readonly outputs: Map<string, Term>;
  /** The root mask's uid and its extra rows (the most any term needs). */
  readonly rootUid: number;
  readonly rootExtra: number;
  readonly #dependents = new Map<number, number>();

  /**
   * @param sessions the calendar's sessions; `startIdx` the chunk's first output day in them.
   */
  constructor(outputs: Map<string, Term>, sessions: Float64Array, startIdx: number) {
    this.outputs = outputs;
    const root = rootMaskTerm();
    this.rootUid = root.uid;
    const seen = new Map<number, Term>();
    const visit = (t: Term) => {
      if (seen.has(t.uid)) return;
      seen.set(t.uid, t);
      for (const [dep] of t.dependencies()) visit(dep ?? root);
      this.order.push(t);
    };
    visit(root);
    for (const t of outputs.values()) visit(t);
    // Dependents before dependencies: each term's extra rows are final when it is reached.
    const request = new Map<number, number>();
    for (const t of outputs.values()) request.set(t.uid, 0);
    for (let i = this.order.length - 1; i >= 0; i--) {
      const t = this.order[i];
      const extra = t.uid === this.rootUid
        ? (request.get(t.uid) ?? 0)
        : t.computeExtraRows(sessions, startIdx, request.get(t.uid) ?? 0);
      this.extra.set(t.uid, extra);
      for (const [dep, add] of t.dependencies()) {
        const u = (dep ?? root).uid;
        request.set(u, Math.max(request.get(u) ?? 0, extra + add));
        this.#dependents.set(u, (this.#dependents.get(u) ?? 0) + 1);
      }
    }
    let most = 0;
    for (const e of this.extra.values()) most = Math.max(most, e);
    this.extra.set(this.rootUid, most);
    this.rootExtra = most;
  }

  /** Initial reference counts: dependents of each term, plus one per output use. */
  refcounts(): Map<number, number> {
    const rc = new Map(this.#dependents);
    for (const t of this.outputs.values()) rc.set(t.uid, (rc.get(t.uid) ?? 0) + 1);
    return rc;
  }

  /** Extra rows of a term (the root mask for null). */
  extraOf(t: Term | null): number {
    return this.extra.get(t ? t.uid : this.rootUid)!;
  }
}
