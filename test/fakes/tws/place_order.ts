/**
 * placeOrder as TWS reads it, every field in order at the connection's version (IB's
 * EClient.placeOrder writes them in this order; `@stoqey/ib` 1.6.10's encoder the same). A message
 * with fields missing or left over is not an order TWS can read: the server answers it with error
 * 320, as TWS answers a request it cannot read, so a client that encodes a version's layout wrong
 * is caught here instead of at a real TWS. Combo (BAG) orders and order conditions are not
 * modelled: the fake answers them with 321.
 */
import { V } from "./versions.ts";
import type { FieldCursor } from "./wire.ts";

/** A contract as a request describes it. */
export interface RequestedContract {
  conId: number;
  symbol: string;
  secType: string;
  exchange: string;
  primaryExchange: string;
  currency: string;
}

/** The fields of a placeOrder the fake acts on. */
export interface PlaceOrderRequest {
  type: "placeOrder";
  orderId: number;
  contract: RequestedContract;
  action: string;
  quantity: number;
  orderType: string;
  lmtPrice: number | null;
  auxPrice: number | null;
  tif: string;
  account: string;
  orderRef: string;
  transmit: boolean;
  outsideRth: boolean;
}

/** A request TWS could not read (320) or the fake does not model (321). */
export interface UnreadableRequest {
  type: "unreadable";
  id: number;
  code: 320 | 321;
  reason: string;
}

/** Reads `n` fields, discarding them. */
const skip = (c: FieldCursor, n: number) => c.skip(n);

/** placeOrder's fields after the message id (no version field since ORDER_CONTAINER, 145). */
export function parsePlaceOrder(v: number, c: FieldCursor): PlaceOrderRequest | UnreadableRequest {
  const orderId = c.int();
  const unreadable = (code: 320 | 321, reason: string): UnreadableRequest => ({
    type: "unreadable",
    id: orderId,
    code,
    reason,
  });
  const conId = c.int(), symbol = c.str(), secType = c.str();
  skip(c, 4); // lastTradeDateOrContractMonth, strike, right, multiplier
  const exchange = c.str(), primaryExchange = c.str(), currency = c.str();
  skip(c, 4); // localSymbol, tradingClass, secIdType, secId
  if (secType.toUpperCase() === "BAG") return unreadable(321, "combo orders are not modelled");
  const action = c.str(), quantity = Number(c.str()), orderType = c.str();
  const lmtPrice = c.num(), auxPrice = c.num(), tif = c.str();
  skip(c, 1); // ocaGroup
  const account = c.str();
  skip(c, 2); // openClose, origin
  const orderRef = c.str(), transmit = c.bool();
  skip(c, 5); // parentId, blockOrder, sweepToFill, displaySize, triggerMethod
  const outsideRth = c.bool();
  skip(c, 1); // hidden
  // sharesAllocation (deprecated), discretionaryAmt, goodAfterTime, goodTillDate, faGroup,
  // faMethod, faPercentage, and faProfile until 176
  skip(c, v < V.FA_PROFILE_DESUPPORT ? 8 : 7);
  // modelCode, shortSaleSlot, designatedLocation, exemptCode, ocaType, rule80A, settlingFirm,
  // allOrNone, minQty, percentOffset, eTradeOnly, firmQuoteOnly, nbboPriceCap, auctionStrategy,
  // startingPrice, stockRefPrice, delta, stockRangeLower, stockRangeUpper,
  // overridePercentageConstraints, volatility, volatilityType
  skip(c, 22);
  const deltaNeutralOrderType = c.str();
  skip(c, 1); // deltaNeutralAuxPrice
  // conId, settlingFirm, clearingAccount, clearingIntent, openClose, shortSale, shortSaleSlot,
  // designatedLocation: only with a delta-neutral order type
  if (deltaNeutralOrderType) skip(c, 8);
  skip(c, 5); // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent, scaleInitLevelSize
  skip(c, 1); // scaleSubsLevelSize
  const scalePriceIncrement = c.num();
  if (scalePriceIncrement !== null && scalePriceIncrement > 0) skip(c, 7); // scale order fields
  skip(c, 3); // scaleTable, activeStartTime, activeStopTime
  if (c.str()) skip(c, 1); // hedgeType, then hedgeParam
  skip(c, 4); // optOutSmartRouting, clearingAccount, clearingIntent, notHeld
  if (c.bool()) skip(c, 3); // a delta-neutral contract: conId, delta, price
  if (c.str()) skip(c, 2 * c.int()); // algoStrategy, then its tag/value pairs
  skip(c, 6); // algoId, whatIf, orderMiscOptions, solicited, randomizeSize, randomizePrice
  if (orderType.toUpperCase() === "PEG BENCH") skip(c, 5);
  if (c.int() !== 0) return unreadable(321, "order conditions are not modelled");
  // adjustedOrderType, triggerPrice, lmtPriceOffset, adjustedStopPrice, adjustedStopLimitPrice,
  // adjustedTrailingAmount, adjustableTrailingUnit, extOperator, softDollarTier name and value,
  // cashQty, mifid2DecisionMaker, mifid2DecisionAlgo, mifid2ExecutionTrader, mifid2ExecutionAlgo,
  // dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice, usePriceMgmtAlgo,
  // duration, postToAts, autoCancelParent, advancedErrorOverride, manualOrderTime
  skip(c, 24);
  if (exchange === "IBKRATS") skip(c, 1); // minTradeQty
  const type = orderType.toUpperCase();
  if (type === "PEG BEST") skip(c, 2); // minCompeteSize, competeAgainstBestOffset
  if (type === "PEG MID") skip(c, 2); // midOffsetAtWhole, midOffsetAtHalf
  if (v >= V.CUSTOMER_ACCOUNT) skip(c, 1);
  if (v >= V.PROFESSIONAL_CUSTOMER) skip(c, 1);
  if (v >= V.RFQ_FIELDS && v < V.UNDO_RFQ_FIELDS) skip(c, 2);
  if (v >= V.INCLUDE_OVERNIGHT) skip(c, 1);
  if (v >= V.CME_TAGGING_FIELDS) skip(c, 1); // manualOrderIndicator
  if (c.remaining !== 0) {
    return unreadable(
      320,
      `placeOrder at server version ${v}: ${
        c.remaining > 0 ? `${c.remaining} field(s) left over` : `${-c.remaining} field(s) missing`
      }`,
    );
  }
  return {
    type: "placeOrder",
    orderId,
    contract: { conId, symbol, secType, exchange, primaryExchange, currency },
    action,
    quantity,
    orderType,
    lmtPrice,
    auxPrice,
    tif,
    account,
    orderRef,
    transmit,
    outsideRth,
  };
}

/**
 * cancelOrder's fields after the message id: until 191 a version field (1), then the order id and
 * manualOrderCancelTime (since MANUAL_ORDER_TIME, 169); 187–189 three RFQ fields; from 192 the
 * CME tagging fields (extOperator, manualOrderIndicator).
 */
export function parseCancelOrder(
  v: number,
  c: FieldCursor,
): { type: "cancelOrder"; orderId: number } | UnreadableRequest {
  if (v < V.CME_TAGGING_FIELDS) skip(c, 1);
  const orderId = c.int();
  skip(c, 1); // manualOrderCancelTime
  if (v >= V.RFQ_FIELDS && v < V.UNDO_RFQ_FIELDS) skip(c, 3);
  if (v >= V.CME_TAGGING_FIELDS) skip(c, 2);
  if (c.remaining !== 0) {
    return {
      type: "unreadable",
      id: orderId,
      code: 320,
      reason: `cancelOrder at server version ${v}: ${Math.abs(c.remaining)} field(s) ${
        c.remaining > 0 ? "left over" : "missing"
      }`,
    };
  }
  return { type: "cancelOrder", orderId };
}
