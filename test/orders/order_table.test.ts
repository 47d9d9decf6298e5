/** The run's order table: what a Map did (order of insertion, replace, delete), with our ids in an array. */
import { describe, expect, test } from "vitest";
import { ClientOrderIds } from "../../runtime/orders/ids.ts";
import { OrderTable } from "../../runtime/orders/order_table.ts";
import type { ManagedOrder } from "../../runtime/orders/order.ts";

const order = (id: string) => ({ id }) as unknown as ManagedOrder;

describe("OrderTable", () => {
  test("keeps insertion order across own and foreign ids, as a Map", () => {
    const t = new OrderTable(new ClientOrderIds("abc"));
    const ids = ["hvabc-2", "ext-1", "hvabc-1", "hvzzz-7", "hvabc-10"];
    const map = new Map<string, ManagedOrder>();
    for (const id of ids) {
      const o = order(id);
      t.set(id, o);
      map.set(id, o);
    }
    expect([...t.values()]).toEqual([...map.values()]);
    expect(t.size).toBe(5);
    for (const id of ids) expect(t.get(id)).toBe(map.get(id));
  });

  test("non-canonical spellings of our ids are other ids, never aliases", () => {
    const t = new OrderTable(new ClientOrderIds("abc"));
    t.set("hvabc-1", order("hvabc-1"));
    t.set("hvabc-1000", order("hvabc-1000"));
    for (const alias of ["hvabc-01", "hvabc-1e3", "hvabc-1.0", "hvabc-", "hvabc- 1"]) {
      expect(t.has(alias)).toBe(false);
      t.set(alias, order(alias));
      expect(t.get(alias)!.id).toBe(alias);
    }
    expect(t.get("hvabc-1")!.id).toBe("hvabc-1");
    expect(t.get("hvabc-1000")!.id).toBe("hvabc-1000");
  });

  test("replace keeps the place; delete removes from lookups and iteration", () => {
    const t = new OrderTable(new ClientOrderIds("abc"));
    const [a, b, c] = ["hvabc-1", "x", "hvabc-2"].map(order);
    t.set(a.id, a).set(b.id, b).set(c.id, c);
    const a2 = order("hvabc-1");
    t.set("hvabc-1", a2);
    expect([...t.values()]).toEqual([a2, b, c]);
    expect(t.delete("x")).toBe(true);
    expect(t.delete("hvabc-2")).toBe(true);
    expect(t.delete("hvabc-2")).toBe(false);
    expect(t.has("hvabc-2")).toBe(false);
    expect(t.size).toBe(1);
    expect([...t.values()]).toEqual([a2]);
    t.set("hvabc-2", c);
    expect([...t.values()]).toEqual([a2, c]);
  });

  test("deleted and added again: once, at the end, as a Map", () => {
    const t = new OrderTable(new ClientOrderIds("abc"));
    const [a, b] = ["hvabc-1", "hvabc-2"].map(order);
    t.set(a.id, a).set(b.id, b);
    t.delete(a.id);
    t.set(a.id, a);
    expect([...t.values()]).toEqual([b, a]);
    expect(t.size).toBe(2);
  });

  test("a minted order is found by its id, whether its family is the table's or another", () => {
    const t = new OrderTable(new ClientOrderIds("abc"));
    const mine = order("hvabc-7"), other = order("hvzzz-7");
    t.setMinted(7, mine);
    t.set(other.id, other);
    expect(t.get("hvabc-7")).toBe(mine);
    expect(t.get("hvzzz-7")).toBe(other);
    expect(t.get("hvabc-7")).toBe(mine); // the one-entry cache answers the same
    t.delete("hvabc-7");
    expect(t.get("hvabc-7")).toBeUndefined();
    expect([...t.values()]).toEqual([other]);
  });

  test("a number given with an id finds the order only if it is filed there under that id", () => {
    const t = new OrderTable(new ClientOrderIds("abc"));
    const seven = order("hvabc-7"), eight = order("hvabc-8"), other = order("hvzzz-7");
    t.setMinted(7, seven);
    t.setMinted(8, eight);
    t.set(other.id, other);
    expect(t.get("hvabc-7", 7)).toBe(seven);
    expect(t.get("hvabc-8", 7)).toBe(eight); // a wrong number: found by its digits
    expect(t.get("hvzzz-7", 7)).toBe(other); // another family's id at that number
    expect(t.get("hvabc-9", 7)).toBeUndefined();
    expect(t.get("hvabc-7", 99)).toBe(seven); // nothing filed at that number
  });
});
