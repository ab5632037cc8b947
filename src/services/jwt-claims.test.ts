import { describe, expect, it } from "vitest";
import { assertCustomClaims, isNamespacedClaim } from "./jwt-claims.js";
import { ValidationError } from "./errors.js";

describe("custom claims of an updated JWT", () => {
  it("are names that are absolute http(s) URLs with a host", () => {
    for (const name of ["https://example.com/plan", "http://example.com/plan", "https://evil/", "https://example.com", "https://ex.com/a?b=c#d"]) {
      expect(isNamespacedClaim(name), name).toBe(true);
    }
  });

  it("are never registered, authorization or profile claims, nor anything that merely looks like a URL", () => {
    const refused = ["sub", "exp", "scope", "permissions", "roles", "groups", "org_id", "email", "name", "https:plan", "https:///plan", "https://\\plan",
      "ftp://example.com/plan", "https://", " https://example.com/x", "https://example.com/a b", "HTTPS://example.com/x", ""];
    for (const name of refused) expect(isNamespacedClaim(name), name).toBe(false);
  });

  it("refuse the first claim that breaks the rule, naming its input field and the rule", () => {
    expect(() => assertCustomClaims({ "https://example.com/ok": 1, permissions: ["users:write"] }, "input.customClaims")).toThrow(
      expect.objectContaining({ field: "input.customClaims.permissions", message: expect.stringMatching(/http:\/\/ or https:\/\/ URL/) }),
    );
    expect(() => assertCustomClaims({ email: "a@b.c" }, "input.customClaims")).toThrow(ValidationError);
    expect(() => assertCustomClaims({ "https://example.com/ok": 1 }, "input.customClaims")).not.toThrow();
  });
});
