import { describe, expect, it } from "vitest";
import { idKind, idPrefixes, newId, type IdKind } from "./ids.js";

const kinds = Object.keys(idPrefixes) as IdKind[];

describe("newId", () => {
  it("is the kind's three-letter prefix, an underscore and a lower-case ULID", () => {
    expect(newId("user")).toMatch(/^usr_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(newId("role")).toMatch(/^rol_/);
    expect(newId("application")).toMatch(/^app_/);
    expect(newId("resource")).toMatch(/^res_/);
    expect(newId("scope")).toMatch(/^scp_/);
    expect(newId("tenant")).toMatch(/^ten_/);
    expect(newId("realm")).toMatch(/^rlm_/);
  });

  it("gives every kind its own prefix", () => {
    const prefixes = Object.values(idPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z]{3}$/);
  });

  it("never repeats and sorts by creation time", async () => {
    const first = newId("user");
    await new Promise((resolve) => setTimeout(resolve, 2));
    const batch = Array.from({ length: 1000 }, () => newId("user"));
    expect(new Set([first, ...batch]).size).toBe(1001);
    for (const id of batch) expect(id > first).toBe(true);
  });

  it("draws every character of the random part from all 32 symbols", () => {
    // 3000 ids span several refills of the random pool; each position should see every symbol.
    const randomParts = Array.from({ length: 3000 }, () => newId("user").slice(-16));
    for (const position of [0, 7, 15]) {
      expect(new Set(randomParts.map((part) => part[position])).size).toBe(32);
    }
  });
});

describe("idKind", () => {
  it.each(kinds)("recognises a new %s id", (kind) => {
    expect(idKind(newId(kind))).toBe(kind);
  });

  it("recognises a well-formed id it did not make", () => {
    expect(idKind("usr_01hzx3k4m5n6p7q8r9s0t1v2w3")).toBe("user");
  });

  it.each([
    ["an empty string", ""],
    ["an unknown prefix", "xyz_01hzx3k4m5n6p7q8r9s0t1v2w3"],
    ["a missing underscore", "usr01hzx3k4m5n6p7q8r9s0t1v2w3"],
    ["a short ULID", "usr_01hzx3k4m5n6p7q8r9s0t1v2w"],
    ["a long ULID", "usr_01hzx3k4m5n6p7q8r9s0t1v2w34"],
    ["upper case", "USR_01HZX3K4M5N6P7Q8R9S0T1V2W3"],
    ["letters outside Crockford base32 (i, l, o, u)", "usr_01hzx3k4m5n6p7q8r9s0t1v2wu"],
    ["surrounding whitespace", " usr_01hzx3k4m5n6p7q8r9s0t1v2w3"],
    ["an Auth0-style user id", "auth0|usr_01hzx3k4m5n6p7q8r9s0t1v2w3"],
  ])("rejects %s", (_, id) => {
    expect(idKind(id)).toBeNull();
  });
});
