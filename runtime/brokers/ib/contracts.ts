/**
 * Symbols → IB contracts. A stock is `symbol, STK, SMART, USD` unless the contracts file says
 * otherwise; each is qualified once with reqContractDetails and cached by conId, so messages that
 * carry only a conId (executions, positions) map back to our symbol.
 *
 * The contracts file is JSON, one entry per symbol that needs one:
 * `{ "BRK.B": { "symbol": "BRK B", "primaryExchange": "NYSE" }, "SPY": { "primaryExchange": "ARCA" } }`
 * with optional `symbol` (IB's), `exchange`, `primaryExchange`, `currency`, `secType`, `conId`.
 */
import { readFileSync } from "node:fs";
import { type Contract, type ContractDetails, EventName, SecType } from "@stoqey/ib";
import { InvalidInputError } from "../../errors.ts";
import type { IbConnection } from "./connection.ts";
import { IbContractError, IbRequestError } from "./errors.ts";

/** How one of our symbols is described to IB. */
export interface ContractOverride {
  symbol?: string;
  secType?: string;
  exchange?: string;
  primaryExchange?: string;
  currency?: string;
  conId?: number;
}

const FIELDS: Record<keyof ContractOverride, "string" | "number"> = {
  symbol: "string",
  secType: "string",
  exchange: "string",
  primaryExchange: "string",
  currency: "string",
  conId: "number",
};

/** Reads and checks a contracts file. */
export function loadContractOverrides(path: string): Map<string, ContractOverride> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new InvalidInputError(
      path,
      "(file)",
      `not a readable JSON file: ${(e as Error).message}`,
    );
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InvalidInputError(path, raw, "expected an object of symbol → contract fields");
  }
  const out = new Map<string, ContractOverride>();
  for (const [symbol, spec] of Object.entries(raw as Record<string, unknown>)) {
    if (!spec || typeof spec !== "object" || Array.isArray(spec)) {
      throw new InvalidInputError(`${path}: ${symbol}`, spec, "expected an object of fields");
    }
    for (const [k, v] of Object.entries(spec)) {
      const want = FIELDS[k as keyof ContractOverride];
      if (!want) {
        throw new InvalidInputError(
          `${path}: ${symbol}.${k}`,
          v,
          `unknown field (known: ${Object.keys(FIELDS).join(", ")})`,
        );
      }
      if (want === "string" ? typeof v !== "string" : typeof v !== "number") {
        throw new InvalidInputError(`${path}: ${symbol}.${k}`, v, `must be a ${want}`);
      }
    }
    out.set(symbol, spec as ContractOverride);
  }
  return out;
}

/** Qualified contracts by symbol and conId. */
export class ContractBook {
  private readonly bySymbol = new Map<string, Contract>();
  private readonly byConId = new Map<number, string>();
  private readonly pending = new Map<string, Promise<Contract>>();
  private readonly ibSymbols = new Map<string, string>();

  constructor(
    private readonly conn: IbConnection,
    private readonly overrides: ReadonlyMap<string, ContractOverride> = new Map(),
  ) {
    for (const [ours, o] of overrides) if (o.symbol) this.ibSymbols.set(o.symbol, ours);
  }

  /** The description sent to reqContractDetails for a symbol. */
  describe(symbol: string): Contract {
    const o = this.overrides.get(symbol) ?? {};
    return {
      conId: o.conId,
      symbol: o.symbol ?? symbol,
      secType: (o.secType ?? SecType.STK) as SecType,
      exchange: o.exchange ?? "SMART",
      primaryExch: o.primaryExchange,
      currency: o.currency ?? "USD",
    };
  }

  /** The qualified contract of a symbol (asked once, then cached). */
  qualify(symbol: string): Promise<Contract> {
    const known = this.bySymbol.get(symbol);
    if (known) return Promise.resolve(known);
    let p = this.pending.get(symbol);
    if (!p) {
      p = this.lookup(symbol).finally(() => this.pending.delete(symbol));
      this.pending.set(symbol, p);
    }
    return p;
  }

  /** Our symbol for a contract TWS reported (by conId, the file's IB symbols, else IB's). */
  symbolOf(c: Contract | undefined): string {
    if (!c) return "";
    const bySym = c.conId ? this.byConId.get(c.conId) : undefined;
    return bySym ?? this.ibSymbols.get(c.symbol ?? "") ?? c.symbol ?? "";
  }

  private async lookup(symbol: string): Promise<Contract> {
    const wanted = this.describe(symbol);
    let found: ContractDetails[];
    try {
      found = await this.conn.request<ContractDetails[]>(`contract details of ${symbol}`, (s) => {
        const out: ContractDetails[] = [];
        s.on(EventName.contractDetails, (id: number, d: ContractDetails) => {
          if (id === s.reqId) out.push(d);
        });
        s.on(EventName.contractDetailsEnd, (id: number) => id === s.reqId && s.done(out));
        s.ib.reqContractDetails(s.reqId, wanted);
      });
    } catch (e) {
      if (e instanceof IbRequestError && e.code === 200) {
        throw new IbContractError(
          symbol,
          `IB knows no ${wanted.secType} "${wanted.symbol}" in ${wanted.currency}`,
        );
      }
      throw e;
    }
    const distinct = new Map<number, Contract>();
    for (const d of found) if (d.contract.conId) distinct.set(d.contract.conId, d.contract);
    if (distinct.size === 0) throw new IbContractError(symbol, "IB returned no contract");
    if (distinct.size > 1) {
      const list = [...distinct.values()].map((c) => `${c.primaryExch || "?"} (conId ${c.conId})`);
      throw new IbContractError(symbol, `ambiguous at IB: ${list.join(", ")}`);
    }
    const c = [...distinct.values()][0];
    const contract: Contract = {
      conId: c.conId,
      symbol: c.symbol,
      secType: c.secType,
      exchange: wanted.exchange,
      primaryExch: c.primaryExch,
      currency: c.currency,
    };
    this.bySymbol.set(symbol, contract);
    this.byConId.set(c.conId!, symbol);
    return contract;
  }
}
