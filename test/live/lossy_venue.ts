/**
 * The paper venue (real matching, fed in-process: fed_paper_session.ts) with the faults the
 * in-flight queries exist for: acknowledgements, cancel confirmations or execution reports lost
 * on the way back, and orders lost on the way out (the venue never receives them). The venue's
 * own book is always right, so `order(coid)` tells the truth; it records every query and every
 * request that left the session.
 */
import type { BrokerEvent, BrokerOrder, OrderRequest } from "../../runtime/model/broker.ts";
import { FeedPaperBroker } from "./fed_paper_session.ts";

export class LossyVenue extends FeedPaperBroker {
  /** Client order ids asked about with `order()`, in order. */
  readonly asked: string[] = [];
  /** Client order ids of every request that left the session (received or lost). */
  readonly sent: string[] = [];
  /** Acknowledgements are lost (the venue has the orders, resting). */
  dropAcks = false;
  /** Cancel confirmations are lost (the venue has cancelled the orders). */
  dropCancels = false;
  /** Execution reports — fills and their order events — are lost (the venue executed them). */
  dropFills = false;
  /** The next this many orders are lost on the way: the venue never receives them. */
  loseNext = 0;

  override onEvent(listener: (e: BrokerEvent) => void): void {
    super.onEvent((e) => {
      if (!this.lost(e)) listener(e);
    });
  }

  override submit(r: OrderRequest): void {
    this.sent.push(r.client_order_id);
    if (this.loseNext > 0) {
      this.loseNext--;
      return;
    }
    super.submit(r);
  }

  override order(coid: string): Promise<BrokerOrder | null> {
    this.asked.push(coid);
    return super.order(coid);
  }

  private lost(e: BrokerEvent): boolean {
    if (e.type === "fill") return this.dropFills;
    if (e.type !== "order") return false;
    if (e.event === "ack") return this.dropAcks;
    if (e.event === "canceled") return this.dropCancels;
    if (e.event === "fill" || e.event === "partial_fill") return this.dropFills;
    return false;
  }
}
