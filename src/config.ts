// All configuration comes from the environment, validated once here. A bad value stops
// start-up with one line naming the variable and what it expects.
import { z } from "zod";

/** Algorithms a new token signing key may use (TOKEN_SIGNING_ALG). */
export const signingAlgorithms = ["ES256", "RS256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

/** KEY_ENCRYPTION_KEY and KEY_ENCRYPTION_KEY_PREVIOUS, decoded: what seals private signing keys. */
export type KeyEncryptionKeys = { current: Buffer; previous: Buffer | null };

const port = z.coerce
  .number({ error: "an integer port between 1 and 65535" })
  .int("an integer port between 1 and 65535")
  .min(1, "an integer port between 1 and 65535")
  .max(65535, "an integer port between 1 and 65535");

const urlWithProtocols = (protocols: string[], expected: string) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, expected);

const limitNumber = (expected: string, min = 0) =>
  z.coerce.number({ error: expected }).int(expected).min(min, expected).max(1_000_000, expected);

/** 32 bytes, written as 64 hex digits or in base64 (standard or URL-safe). */
const encryptionKey = z.string().transform((value, context) => {
  const bytes = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value, "base64") : null;
  if (bytes?.length === 32) return bytes;
  context.addIssue({ code: "custom", message: "32 bytes in base64 or hex (e.g. `openssl rand -base64 32`)" });
  return z.NEVER;
});

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const environmentSchema = z.object({
  PORT: optional(port).default(4000),
  HOST: optional(z.string().min(1, "a host name or address to listen on")).default("0.0.0.0"),
  DATABASE_URL: optional(
    urlWithProtocols(["postgres:", "postgresql:"], "a postgres:// or postgresql:// connection URL"),
  ),
  DATA_DIR: optional(z.string().min(1, "a directory path")).default("./data"),
  PUBLIC_URL: optional(urlWithProtocols(["http:", "https:"], "an absolute http(s) URL")),
  LOG_LEVEL: optional(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "one of fatal, error, warn, info, debug, trace, silent",
    }),
  ).default("info"),
  REDIS_URL: optional(urlWithProtocols(["redis:", "rediss:"], "a redis:// or rediss:// URL")),
  TOKEN_SIGNING_ALG: optional(
    z.enum(signingAlgorithms, { error: `one of ${signingAlgorithms.join(", ")}` }),
  ).default("ES256"),
  RATE_LIMIT_WINDOW_SECONDS: optional(limitNumber("a whole number of seconds, at least 1", 1)).default(60),
  RATE_LIMIT_USERS_LIST: optional(limitNumber("a whole number of requests per window (0 turns the limit off)")).default(500),
  RATE_LIMIT_USERS_CREATE: optional(limitNumber("a whole number of requests per window (0 turns the limit off)")).default(50),
  RATE_LIMIT_USERS_UPDATE: optional(limitNumber("a whole number of requests per window (0 turns the limit off)")).default(200),
  RATE_LIMIT_ROLE_OPERATIONS: optional(limitNumber("a whole number of requests per window (0 turns the limit off)")).default(100),
  SIGN_IN_MAX_FAILURES: optional(limitNumber("a whole number of failed sign-ins, at least 1", 1)).default(10),
  SIGN_IN_FAILURE_WINDOW_SECONDS: optional(limitNumber("a whole number of seconds, at least 1", 1)).default(900),
  SESSION_LIFETIME_SECONDS: optional(limitNumber("a whole number of seconds, at least 60", 60)).default(30 * 24 * 3600),
  KEY_ENCRYPTION_KEY: optional(encryptionKey),
  KEY_ENCRYPTION_KEY_PREVIOUS: optional(encryptionKey),
  USERGATE_BOOTSTRAP_CLIENT_ID: optional(
    z.string().regex(/^[A-Za-z0-9._~-]{8,128}$/, "8 to 128 characters of A-Z a-z 0-9 . _ ~ -"),
  ),
  USERGATE_BOOTSTRAP_CLIENT_SECRET: optional(
    z.string().min(32, "a secret of at least 32 characters").max(256, "a secret of at most 256 characters"),
  ),
});

export type RateLimitBucket = "usersList" | "usersCreate" | "usersUpdate" | "roleOperations";

export type Config = {
  port: number;
  host: string;
  /** PostgreSQL server; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Base URL clients reach the gateway at: token issuer and audience prefix. */
  publicUrl: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  redisUrl: string | undefined;
  /** Algorithm of newly created signing keys; existing keys keep theirs. */
  signingAlg: SigningAlgorithm;
  /** Encrypts private signing keys at rest (AES-256-GCM); the previous key still decrypts. Null: stored plain. */
  keyEncryption: KeyEncryptionKeys | null;
  /** Requests per window and client for each rate-limited family of REST routes (seed 000). */
  rateLimits: { windowSeconds: number } & Record<RateLimitBucket, number>;
  /** Brute-force protection: this many failures per identifier and address within the window lock sign-in. */
  signIn: { maxFailures: number; failureWindowSeconds: number; sessionLifetimeSeconds: number };
  /** Fixed credentials for the bootstrap admin application; generated on first start when null. */
  bootstrapClient: { clientId: string; clientSecret: string } | null;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    throw new ConfigError(`${variable} must be ${issue.message}${shownValue(variable, env[variable])}`);
  }
  const values = parsed.data;
  const clientId = values.USERGATE_BOOTSTRAP_CLIENT_ID;
  const clientSecret = values.USERGATE_BOOTSTRAP_CLIENT_SECRET;
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    const missing = clientId === undefined ? "USERGATE_BOOTSTRAP_CLIENT_ID" : "USERGATE_BOOTSTRAP_CLIENT_SECRET";
    throw new ConfigError(`${missing} must be set together with the other USERGATE_BOOTSTRAP_CLIENT_* variable`);
  }
  if (values.KEY_ENCRYPTION_KEY_PREVIOUS && !values.KEY_ENCRYPTION_KEY) {
    throw new ConfigError("KEY_ENCRYPTION_KEY_PREVIOUS must be set together with KEY_ENCRYPTION_KEY");
  }
  const displayHost = values.HOST === "0.0.0.0" || values.HOST === "::" ? "localhost" : values.HOST;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    dataDir: values.DATA_DIR,
    publicUrl: (values.PUBLIC_URL ?? `http://${displayHost}:${values.PORT}`).replace(/\/+$/, ""),
    logLevel: values.LOG_LEVEL,
    redisUrl: values.REDIS_URL,
    signingAlg: values.TOKEN_SIGNING_ALG,
    keyEncryption: values.KEY_ENCRYPTION_KEY
      ? { current: values.KEY_ENCRYPTION_KEY, previous: values.KEY_ENCRYPTION_KEY_PREVIOUS ?? null }
      : null,
    signIn: {
      maxFailures: values.SIGN_IN_MAX_FAILURES,
      failureWindowSeconds: values.SIGN_IN_FAILURE_WINDOW_SECONDS,
      sessionLifetimeSeconds: values.SESSION_LIFETIME_SECONDS,
    },
    rateLimits: {
      windowSeconds: values.RATE_LIMIT_WINDOW_SECONDS,
      usersList: values.RATE_LIMIT_USERS_LIST,
      usersCreate: values.RATE_LIMIT_USERS_CREATE,
      usersUpdate: values.RATE_LIMIT_USERS_UPDATE,
      roleOperations: values.RATE_LIMIT_ROLE_OPERATIONS,
    },
    bootstrapClient:
      clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : null,
  };
}

const secretVariables = new Set(["USERGATE_BOOTSTRAP_CLIENT_SECRET", "KEY_ENCRYPTION_KEY", "KEY_ENCRYPTION_KEY_PREVIOUS"]);

/** The rejected value for the error line, never a secret: passwords in URLs are masked. */
function shownValue(variable: string, value: string | undefined): string {
  if (secretVariables.has(variable)) return "";
  const masked = value?.replace(/^([^:/?#]+:\/\/[^:/@]*):[^@/]*@/, "$1:***@");
  return ` (got ${JSON.stringify(masked)})`;
}
