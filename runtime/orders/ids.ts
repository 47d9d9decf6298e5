/**
 * Client order ids: `hv<8 hex session tag>-<sequence>`. The tag is random per state file (kept in
 * it), the sequence persists across restarts, so an id is never reused — the broker keys orders
 * by it (Alpaca `client_order_id`, IB `orderRef`) and re-attaches them after a crash.
 */
export class ClientOrderIds {
  /**
   * Ids are reserved durably in blocks before any of them is used (`reserve` fsyncs one journal
   * line per block), so an id is on disk before its order leaves the process without an fsync on
   * every order. After a crash, ids between the last accounted one and the reserved ceiling are
   * looked up at the broker, never re-used.
   */
  reserved = 0;
  static readonly BLOCK = 1000;

  /** `hv<tag>-`: what every id of this family starts with. */
  readonly prefix: string;

  constructor(
    readonly tag: string = randomTag(),
    private next = 1,
    private readonly reserve?: (upTo: number) => void,
  ) {
    this.prefix = `hv${tag}-`;
  }

  /**
   * Reserves the next block ahead when less than half of the current one is left — called
   * between bars, so the fsync of a reservation never lands between a bar and its orders.
   */
  refill(): void {
    if (!this.reserve || this.reserved - this.next + 1 >= ClientOrderIds.BLOCK / 2) return;
    this.reserved = Math.max(this.reserved, this.next - 1) + ClientOrderIds.BLOCK;
    this.reserve(this.reserved);
  }

  mint(): string {
    if (this.next > this.reserved && this.reserve) {
      this.reserved = this.next + ClientOrderIds.BLOCK - 1;
      this.reserve(this.reserved);
    }
    return `${this.prefix}${this.next++}`;
  }

  /** The id of a sequence number in this family. */
  idOf(seq: number): string {
    return `${this.prefix}${seq}`;
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
    return id.startsWith(this.prefix);
  }

  /**
   * The sequence number of an id exactly as this family mints it (`hv<tag>-<n>`, no leading
   * zero), or -1 for any other id.
   */
  seqOf(id: string): number {
    const p = this.prefix, n = id.length;
    if (n <= p.length || n > p.length + 15 || !id.startsWith(p)) return -1;
    let seq = 0;
    for (let i = p.length; i < n; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || (d === 0 && i === p.length)) return -1;
      seq = seq * 10 + d;
    }
    return seq;
  }
}

export function randomTag(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}
