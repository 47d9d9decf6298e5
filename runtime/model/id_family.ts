import { Chunked } from "./chunked.ts";

/**
 * The ids of one numbered family (`<prefix><n>`, such as `hv1a2b3c4d-17`, what a run mints for its
 * orders and what the simulated venue mints for its own) kept as their numbers.
 *
 * Why: a number is no heap object. A backtest keeps every order's id for its tables and
 * `get_order`; kept as strings, 65,000 of them (and as many venue ids) were most of what each
 * young-generation collection copied and promoted — a 100 × 2,520 run promoted 18 MB to the old
 * generation, and its scavenges took 40 % longer. An id map keyed by number also skips hashing
 * each fresh string (`id_map.ts`).
 *
 * The prefix is learned from the first id that ends in digits and never changes. Any other id
 * (another prefix, no trailing number, a leading zero, more than 15 digits) is kept as itself, so
 * `id(key(x)) === x` for every id and two different ids never share a key.
 */
export class IdFamily {
  /** The family's prefix; null until an id ending in digits is seen by `learn`. */
  #prefix: string | null = null;

  /** Takes `id`'s prefix as the family's when none is known yet. */
  learn(id: string): void {
    if (this.#prefix === null) this.#prefix = familyOf(id);
  }

  /** The family's prefix, null while none is known (another family's `learn` takes it). */
  get prefix(): string | null {
    return this.#prefix;
  }

  /** Whether a family is known (keys made before it were the ids themselves). */
  get known(): boolean {
    return this.#prefix !== null;
  }

  /** `id` as kept: its number when it is of the family as `String(n)` writes it, else itself. */
  key(id: string): string | number {
    const p = this.#prefix;
    if (p === null) return id;
    const from = p.length, n = id.length;
    if (n <= from || n > from + 15 || !id.startsWith(p)) return id;
    let seq = 0;
    for (let i = from; i < n; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || (d === 0 && i === from && n > from + 1)) return id;
      seq = seq * 10 + d;
    }
    return seq;
  }

  /**
   * The id a key stands for. A number's id is made once and kept (for numbers below
   * `MEMO_LIMIT`, as sequence numbers are): a run's tables name each order on two order rows
   * and a transaction, and the whole orders table of a 65,000-order run built its 130,000 ids
   * afresh at every write (25–50 ms) where the strings had been kept before.
   */
  id(key: string | number): string {
    if (typeof key !== "number") return key;
    if (key >= MEMO_LIMIT) return `${this.#prefix}${key}`;
    let id = this.#memo.get(key);
    if (id === undefined) this.#memo.set(key, id = `${this.#prefix}${key}`);
    return id;
  }

  readonly #memo = new Chunked<string | undefined>();
}

/** Keys made into ids are kept below this (a chunk of the memo is 2^14 of them, made on use). */
const MEMO_LIMIT = 1 << 22;

/** `id` without its trailing digits, or null when it has none or is all digits. */
function familyOf(id: string): string | null {
  let i = id.length;
  while (i > 0) {
    const c = id.charCodeAt(i - 1);
    if (c < 48 || c > 57) break;
    i--;
  }
  return i === id.length || i === 0 ? null : id.slice(0, i);
}
