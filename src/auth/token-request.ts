// Reads a token request: form-encoded (RFC 6749) or JSON (as Auth0 accepts), plus the client
// credentials from HTTP Basic (RFC 6749 §2.3.1: form-url-encoded, then base64) or the body.
import { OAuthError } from "./auth-errors.js";

/** Token requests are small; anything bigger is refused before it is read. */
const maxTokenRequestBytes = 16 * 1024;

export type TokenRequest = {
  params: Map<string, string>;
  /** `none`: a public client (spa, native) that names itself without a secret. */
  client:
    | { clientId: string; clientSecret: string; method: "client_secret_basic" | "client_secret_post" }
    | { clientId: string; clientSecret: null; method: "none" }
    | null;
};

export async function readTokenRequest(request: Request): Promise<TokenRequest> {
  const params = await readParams(request);
  const basic = basicCredentials(request.headers.get("authorization"));
  const postId = params.get("client_id");
  const postSecret = params.get("client_secret");
  if (basic && (postSecret !== undefined || (postId !== undefined && postId !== basic.clientId))) {
    throw new OAuthError("invalid_request", "Use one client authentication method, not Basic and the body together");
  }
  params.delete("client_secret");
  if (basic) return { params, client: { ...basic, method: "client_secret_basic" } };
  if (postId !== undefined && postSecret !== undefined) {
    return { params, client: { clientId: postId, clientSecret: postSecret, method: "client_secret_post" } };
  }
  if (postId !== undefined) return { params, client: { clientId: postId, clientSecret: null, method: "none" } };
  return { params, client: null };
}

async function readParams(request: Request): Promise<Map<string, string>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxTokenRequestBytes) throw new OAuthError("invalid_request", "The request body is too large", 413);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxTokenRequestBytes) throw new OAuthError("invalid_request", "The request body is too large", 413);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const params = new Map<string, string>();
  if (type === "application/x-www-form-urlencoded") {
    for (const [name, value] of new URLSearchParams(text)) {
      if (params.has(name)) throw new OAuthError("invalid_request", `The parameter ${name} is repeated`);
      params.set(name, value);
    }
    return params;
  }
  if (type === "application/json") {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OAuthError("invalid_request", "The request body is not valid JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new OAuthError("invalid_request", "The request body must be a JSON object");
    }
    for (const [name, value] of Object.entries(body)) {
      if (value === null || value === undefined) continue;
      if (typeof value !== "string") throw new OAuthError("invalid_request", `The parameter ${name} must be a string`);
      params.set(name, value);
    }
    return params;
  }
  throw new OAuthError("invalid_request", "The Content-Type must be application/x-www-form-urlencoded or application/json");
}

function basicCredentials(authorization: string | null): { clientId: string; clientSecret: string } | null {
  if (!authorization) return null;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization);
  if (!match) throw new OAuthError("invalid_client", "The Authorization header must be 'Basic <credentials>'", 401);
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OAuthError("invalid_client", "Malformed Basic credentials", 401);
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError("invalid_client", "Malformed Basic credentials", 401);
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}
