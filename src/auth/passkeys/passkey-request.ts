// The JSON bodies of the passkey endpoints, validated at the edge. WebAuthn responses are checked
// for shape here (strings of bounded size); their content is verified by @simplewebauthn/server.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { OAuthError } from "../auth-errors.js";

/** Attestation objects with certificate chains stay well below this. */
const maxBodyBytes = 64 * 1024;

const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+={0,2}$/, "base64url");
const knownTransports = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);
const transports = z
  .array(z.string().max(32))
  .max(10)
  .transform((values) => values.filter((value) => knownTransports.has(value)));

const credentialFields = {
  id: base64url(1366),
  rawId: base64url(1366),
  type: z.literal("public-key"),
  clientExtensionResults: z.looseObject({}).default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

const registrationResponse = z.looseObject({
  ...credentialFields,
  response: z.looseObject({
    clientDataJSON: base64url(8192),
    attestationObject: base64url(48 * 1024),
    transports: transports.optional(),
  }),
});

const authenticationResponse = z.looseObject({
  ...credentialFields,
  response: z.looseObject({
    clientDataJSON: base64url(8192),
    authenticatorData: base64url(8192),
    signature: base64url(2048),
    userHandle: base64url(1024).optional(),
  }),
});

const ceremony = z.string().min(1).max(4096);
const optionalText = (max: number) => z.string().max(max).optional();

export const registerOptionsBody = z.object({}).default({});

export const registerVerifyBody = z.object({
  ceremony,
  response: registrationResponse.transform((value) => value as unknown as RegistrationResponseJSON),
  name: z
    .string()
    .max(100)
    .optional()
    .transform((value) => value?.trim() || null),
});

export const authenticateOptionsBody = z.object({
  client_id: z.string().min(1).max(256),
  username: optionalText(320),
});

export const authenticateVerifyBody = z.object({
  client_id: z.string().min(1).max(256),
  client_secret: optionalText(512),
  ceremony,
  response: authenticationResponse.transform((value) => value as unknown as AuthenticationResponseJSON),
  scope: optionalText(2048),
  audience: optionalText(2048),
});

export async function readBody<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.output<Schema>> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBodyBytes) {
    throw new OAuthError("invalid_request", "The request body is too large", 413);
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBodyBytes) throw new OAuthError("invalid_request", "The request body is too large", 413);
  let body: unknown = undefined;
  if (text.trim() !== "") {
    if (type !== "application/json") throw new OAuthError("invalid_request", "The Content-Type must be application/json");
    try {
      body = JSON.parse(text);
    } catch {
      throw new OAuthError("invalid_request", "The request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join(".") : "body";
    throw new OAuthError("invalid_request", `${where}: ${issue.message}`);
  }
  return parsed.data;
}
