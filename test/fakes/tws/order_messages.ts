/**
 * The two long order messages: openOrder (an order, its contract and its state) and completedOrder
 * (a finished order), at the version the connection agreed (176…193). Every field is listed, in
 * TWS's order (IB's EDecoder.processOpenOrderMsg / processCompletedOrderMsg and EOrderDecoder),
 * because the client reads them by position; values that do not apply to plain stock orders are
 * left unset.
 */
import { contractFields, IN, type TwsOrder } from "./messages.ts";
import { V } from "./versions.ts";
import type { Field } from "./wire.ts";

/** The fields a version adds only when it is at least `min`. */
const from = (v: number, min: number, ...fields: Field[]): Field[] => (v >= min ? fields : []);
/** The fields a version drops from `end` on. */
const before = (v: number, end: number, ...fields: Field[]): Field[] => (v < end ? fields : []);

/**
 * openOrder (no message version since ORDER_CONTAINER, 145): the order, its contract, and its
 * state (no what-if figures). faProfile until 176; from 183 the customer account, 184 the
 * professional flag, 185 bond accrued interest, 189 include-overnight, 193 the CME tagging fields.
 */
export function openOrder(v: number, o: TwsOrder): Field[] {
  return [
    IN.OPEN_ORDER,
    o.orderId,
    ...contractFields(o.stock, o.exchange),
    o.action,
    o.quantity,
    o.orderType,
    o.lmtPrice ?? "",
    o.auxPrice ?? "",
    o.tif,
    "", // ocaGroup
    o.account,
    "", // openClose
    0, // origin (customer)
    o.orderRef,
    o.clientId,
    o.permId,
    0, // outsideRth
    0, // hidden
    0, // discretionaryAmt
    "", // goodAfterTime
    "", // sharesAllocation (deprecated)
    "", // faGroup
    "", // faMethod
    "", // faPercentage
    ...before(v, V.FA_PROFILE_DESUPPORT, ""), // faProfile (until 176)
    "", // modelCode
    "", // goodTillDate
    "", // rule80A
    "", // percentOffset
    "", // settlingFirm
    0, // shortSaleSlot
    "", // designatedLocation
    -1, // exemptCode
    0, // auctionStrategy
    "", // startingPrice
    "", // stockRefPrice
    "", // delta
    "", // stockRangeLower
    "", // stockRangeUpper
    "", // displaySize
    0, // blockOrder
    0, // sweepToFill
    0, // allOrNone
    "", // minQty
    0, // ocaType
    0, // eTradeOnly
    0, // firmQuoteOnly
    "", // nbboPriceCap
    0, // parentId
    0, // triggerMethod
    "", // volatility
    0, // volatilityType
    "", // deltaNeutralOrderType (none: no delta-neutral fields follow)
    "", // deltaNeutralAuxPrice
    0, // continuousUpdate
    0, // referencePriceType
    "", // trailStopPrice
    "", // trailingPercent
    "", // basisPoints
    "", // basisPointsType
    "", // comboLegsDescription
    0, // comboLegs count
    0, // orderComboLegs count
    0, // smartComboRoutingParams count
    "", // scaleInitLevelSize
    "", // scaleSubsLevelSize
    "", // scalePriceIncrement (unset: no scale fields follow)
    "", // hedgeType (none: no hedgeParam)
    0, // optOutSmartRouting
    "", // clearingAccount
    "", // clearingIntent
    0, // notHeld
    0, // deltaNeutralContract present
    "", // algoStrategy (none: no params)
    0, // solicited
    0, // whatIf
    o.status,
    ...Array(9).fill(""), // init/maint/equity-with-loan: before, change, after
    "", // commission
    "", // minCommission
    "", // maxCommission
    "", // commissionCurrency
    "", // warningText
    0, // randomizeSize
    0, // randomizePrice
    0, // conditions count
    "", // adjustedOrderType
    "", // triggerPrice
    "", // trailStopPrice
    "", // lmtPriceOffset
    "", // adjustedStopPrice
    "", // adjustedStopLimitPrice
    "", // adjustedTrailingAmount
    0, // adjustableTrailingUnit
    "", // softDollarTier name
    "", // softDollarTier value
    "", // softDollarTier displayName
    "", // cashQty
    0, // dontUseAutoPriceForHedge
    0, // isOmsContainer
    0, // discretionaryUpToLimitPrice
    0, // usePriceMgmtAlgo
    "", // duration
    "", // postToAts
    0, // autoCancelParent
    "", // minTradeQty
    "", // minCompeteSize
    "", // competeAgainstBestOffset
    "", // midOffsetAtWhole
    "", // midOffsetAtHalf
    ...from(v, V.CUSTOMER_ACCOUNT, ""), // customerAccount
    ...from(v, V.PROFESSIONAL_CUSTOMER, 0), // professionalCustomer
    ...from(v, V.BOND_ACCRUED_INTEREST, ""), // bondAccruedInterest
    ...from(v, V.INCLUDE_OVERNIGHT, 0), // includeOvernight
    ...from(v, V.CME_TAGGING_FIELDS_IN_OPEN_ORDER, "", 2147483647), // extOperator, manualOrderIndicator
  ];
}

/**
 * completedOrder (no version field; IB's decoder reads it as of "every version"). Until 176 TWS
 * still sends faProfile here, as in openOrder: IB's EOrderDecoder.readFAParams reads it whenever
 * the server version is below FA_PROFILE_DESUPPORT. (`@stoqey/ib` 1.6.10 tests its message version
 * instead, which it sets to the maximum for completed orders, so at 176 it reads this message one
 * field short; the adapter copes, see `runtime/brokers/ib/order_flow.ts`.) From 183 the customer
 * account, 184 the professional flag.
 */
export function completedOrder(v: number, o: TwsOrder): Field[] {
  return [
    IN.COMPLETED_ORDER,
    ...contractFields(o.stock, o.exchange),
    o.action,
    o.quantity,
    o.orderType,
    o.lmtPrice ?? "",
    o.auxPrice ?? "",
    o.tif,
    "", // ocaGroup
    o.account,
    "", // openClose
    0, // origin
    o.orderRef,
    o.permId,
    0, // outsideRth
    0, // hidden
    0, // discretionaryAmt
    "", // goodAfterTime
    "", // faGroup
    "", // faMethod
    "", // faPercentage
    ...before(v, V.FA_PROFILE_DESUPPORT, ""), // faProfile (until 176)
    "", // modelCode
    "", // goodTillDate
    "", // rule80A
    "", // percentOffset
    "", // settlingFirm
    0, // shortSaleSlot
    "", // designatedLocation
    -1, // exemptCode
    "", // startingPrice
    "", // stockRefPrice
    "", // delta
    "", // stockRangeLower
    "", // stockRangeUpper
    "", // displaySize
    0, // sweepToFill
    0, // allOrNone
    "", // minQty
    0, // ocaType
    0, // triggerMethod
    "", // volatility
    0, // volatilityType
    "", // deltaNeutralOrderType
    "", // deltaNeutralAuxPrice
    0, // continuousUpdate
    0, // referencePriceType
    "", // trailStopPrice
    "", // trailingPercent
    "", // comboLegsDescription
    0, // comboLegs count
    0, // orderComboLegs count
    0, // smartComboRoutingParams count
    "", // scaleInitLevelSize
    "", // scaleSubsLevelSize
    "", // scalePriceIncrement
    "", // hedgeType
    "", // clearingAccount
    "", // clearingIntent
    0, // notHeld
    0, // deltaNeutralContract present
    "", // algoStrategy
    0, // solicited
    o.status,
    0, // randomizeSize
    0, // randomizePrice
    0, // conditions count
    "", // trailStopPrice
    "", // lmtPriceOffset
    "", // cashQty
    0, // dontUseAutoPriceForHedge
    0, // isOmsContainer
    "", // autoCancelDate
    o.filled, // filledQuantity
    0, // refFuturesConId
    0, // autoCancelParent
    "", // shareholder
    0, // imbalanceOnly
    0, // routeMarketableToBbo
    0, // parentPermId
    o.completedTime,
    o.completedStatus,
    "", // minTradeQty
    "", // minCompeteSize
    "", // competeAgainstBestOffset
    "", // midOffsetAtWhole
    "", // midOffsetAtHalf
    ...from(v, V.CUSTOMER_ACCOUNT, ""), // customerAccount
    ...from(v, V.PROFESSIONAL_CUSTOMER, 0), // professionalCustomer
  ];
}
