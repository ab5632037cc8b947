import { createPrivateKey } from "node:crypto";
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { compactJws, issuedFor } from "./compact-jws.js";
import { signingAlgorithms } from "../config.js";

describe("compactJws", () => {
  it.each(signingAlgorithms)("signs %s tokens that jose verifies, with the key's alg and kid and the given typ", async (alg) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, crv: alg === "EdDSA" ? "Ed25519" : undefined });
    const key = { alg, kid: "key-1", privateKey: createPrivateKey({ key: await exportJWK(privateKey), format: "jwk" }) };
    const token = compactJws(key, "at+jwt", { sub: "usr_1", roles: ["admin"], ...issuedFor(60) });

    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { algorithms: [alg], typ: "at+jwt" });
    expect(protectedHeader).toEqual({ alg, kid: "key-1", typ: "at+jwt" });
    expect(payload).toMatchObject({ sub: "usr_1", roles: ["admin"] });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it("gives ES256 signatures in JWS's fixed 64-byte r||s form, not DER", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const token = compactJws({ alg: "ES256", kid: "k", privateKey: createPrivateKey({ key: await exportJWK(privateKey), format: "jwk" }) }, "JWT", {});
    expect(Buffer.from(token.split(".")[2]!, "base64url")).toHaveLength(64);
    expect(decodeProtectedHeader(token).typ).toBe("JWT");
  });
});

describe("issuedFor", () => {
  it("issues now, in whole seconds, and expires after the lifetime", () => {
    const before = Math.floor(Date.now() / 1000);
    const { iat, exp } = issuedFor(3600);
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(exp).toBe(iat + 3600);
  });
});
