/**
 * Client order ids: `hv<8 hex session tag>-<sequence>`. The tag is random per state file (kept in
 * it), the sequence persists across restarts, so an id is never reused — the broker keys orders
 * by it (Alpaca `client_order_id`, IB `orderRef`) and re-attaches them after a crash.
 */
export class ClientOrderIds {
  constructor(readonly tag: string = randomTag(), private next = 1) {}

  mint(): string {
    return `hv${this.tag}-${this.next++}`;
  }

  get sequence(): number {
    return this.next;
  }

  /** Notes an id seen elsewhere (the journal): the sequence moves past it, so it is never reused. */
  observe(id: string): void {
    if (!this.owns(id)) return;
    const n = Number(id.slice(id.lastIndexOf("-") + 1));
    if (Number.isInteger(n) && n >= this.next) this.next = n + 1;
  }

  /** Whether an id was minted by this family (our order, even from an earlier process). */
  owns(id: string): boolean {
    return id.startsWith(`hv${this.tag}-`);
  }
}

export function randomTag(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}
