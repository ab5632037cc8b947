import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const goodSecret = "a-bootstrap-secret-of-at-least-32-characters";
const encryptionKeyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const encryptionKeyBase64 = Buffer.alloc(32, 7).toString("base64");

/** The ConfigError loadConfig throws for `env`; fails the test when it does not throw one. */
function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig with nothing set", () => {
  const config = loadConfig({});

  it("listens on port 4000 on every interface", () => {
    expect(config.port).toBe(4000);
    expect(config.host).toBe("0.0.0.0");
  });

  it("uses the embedded database in ./data", () => {
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe("./data");
  });

  it("derives the public URL from host and port, as a browser on this machine reaches it", () => {
    expect(config.publicUrl).toBe("http://localhost:4000");
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    expect(loadConfig({ HOST: "127.0.0.1", PORT: "8080" }).publicUrl).toBe("http://127.0.0.1:8080");
  });

  it("logs at info, without Redis, signs tokens with ES256, applies seed 000's rate limits, and generates the admin credentials", () => {
    expect(config.logLevel).toBe("info");
    expect(config.redisUrl).toBeUndefined();
    expect(config.signingAlg).toBe("ES256");
    expect(config.rateLimits).toEqual({
      windowSeconds: 60,
      usersList: 500,
      usersCreate: 50,
      usersUpdate: 200,
      roleOperations: 100,
    });
    expect(config.bootstrapClient).toBeNull();
  });

  it("stores private signing keys unencrypted", () => {
    expect(config.keyEncryption).toBeNull();
  });
});

describe("loadConfig with values set", () => {
  // Adding a variable? Add it here and to the README's configuration table.
  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8443",
      HOST: "127.0.0.1",
      DATABASE_URL: "postgres://app:pw@db.internal:5432/usergate",
      DATA_DIR: "/var/lib/usergate",
      PUBLIC_URL: "https://id.example.com",
      LOG_LEVEL: "debug",
      REDIS_URL: "redis://cache:6379",
      TOKEN_SIGNING_ALG: "EdDSA",
      RATE_LIMIT_WINDOW_SECONDS: "30",
      RATE_LIMIT_USERS_LIST: "1000",
      RATE_LIMIT_USERS_CREATE: "0",
      RATE_LIMIT_USERS_UPDATE: "20",
      RATE_LIMIT_ROLE_OPERATIONS: "10",
      SIGN_IN_MAX_FAILURES: "5",
      SIGN_IN_FAILURE_WINDOW_SECONDS: "600",
      SESSION_LIFETIME_SECONDS: "86400",
      USERGATE_BOOTSTRAP_CLIENT_ID: "admin-client",
      USERGATE_BOOTSTRAP_CLIENT_SECRET: goodSecret,
      KEY_ENCRYPTION_KEY: encryptionKeyHex,
      KEY_ENCRYPTION_KEY_PREVIOUS: encryptionKeyBase64,
    });
    expect(config).toEqual({
      port: 8443,
      host: "127.0.0.1",
      databaseUrl: "postgres://app:pw@db.internal:5432/usergate",
      dataDir: "/var/lib/usergate",
      publicUrl: "https://id.example.com",
      logLevel: "debug",
      redisUrl: "redis://cache:6379",
      signingAlg: "EdDSA",
      rateLimits: { windowSeconds: 30, usersList: 1000, usersCreate: 0, usersUpdate: 20, roleOperations: 10 },
      signIn: { maxFailures: 5, failureWindowSeconds: 600, sessionLifetimeSeconds: 86400 },
      bootstrapClient: { clientId: "admin-client", clientSecret: goodSecret },
      keyEncryption: { current: Buffer.from(encryptionKeyHex, "hex"), previous: Buffer.alloc(32, 7) },
    });
  });

  it("reads KEY_ENCRYPTION_KEY as 32 bytes in hex, base64 or base64url", () => {
    const bytes = Buffer.from(encryptionKeyHex, "hex");
    for (const written of [encryptionKeyHex, bytes.toString("base64"), bytes.toString("base64url")]) {
      expect(loadConfig({ KEY_ENCRYPTION_KEY: written }).keyEncryption).toEqual({ current: bytes, previous: null });
    }
  });

  it("accepts postgresql:// as well as postgres://, and rediss://", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://db/usergate" }).databaseUrl).toBe("postgresql://db/usergate");
    expect(loadConfig({ REDIS_URL: "rediss://cache:6380" }).redisUrl).toBe("rediss://cache:6380");
  });

  it("trims trailing slashes from PUBLIC_URL", () => {
    expect(loadConfig({ PUBLIC_URL: "https://id.example.com/" }).publicUrl).toBe("https://id.example.com");
    expect(loadConfig({ PUBLIC_URL: "https://example.com/auth//" }).publicUrl).toBe("https://example.com/auth");
  });

  it("treats empty strings as unset", () => {
    const config = loadConfig({
      PORT: "",
      HOST: "",
      DATABASE_URL: "",
      DATA_DIR: "",
      PUBLIC_URL: "",
      LOG_LEVEL: "",
      REDIS_URL: "",
      TOKEN_SIGNING_ALG: "",
      RATE_LIMIT_WINDOW_SECONDS: "",
      RATE_LIMIT_USERS_LIST: "",
      USERGATE_BOOTSTRAP_CLIENT_ID: "",
      USERGATE_BOOTSTRAP_CLIENT_SECRET: "",
      KEY_ENCRYPTION_KEY: "",
      KEY_ENCRYPTION_KEY_PREVIOUS: "",
    });
    expect(config).toEqual(loadConfig({}));
  });
});

describe("a bad value stops start-up with one line naming the variable and what it expects", () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: "abc" }, /^PORT must be an integer port between 1 and 65535 \(got "abc"\)$/],
    [{ PORT: "70000" }, /^PORT must be an integer port between 1 and 65535 \(got "70000"\)$/],
    [{ PORT: "0" }, /^PORT must be an integer port between 1 and 65535/],
    [{ PORT: "80.5" }, /^PORT must be an integer port between 1 and 65535/],
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ connection URL \(got "mysql:\/\/x"\)$/],
    [{ PUBLIC_URL: "notaurl" }, /^PUBLIC_URL must be an absolute http\(s\) URL \(got "notaurl"\)$/],
    [{ PUBLIC_URL: "ftp://files.example.com" }, /^PUBLIC_URL must be an absolute http\(s\) URL/],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)$/],
    [{ REDIS_URL: "http://x" }, /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL \(got "http:\/\/x"\)$/],
    [{ RATE_LIMIT_WINDOW_SECONDS: "0" }, /^RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds, at least 1 \(got "0"\)$/],
    [{ RATE_LIMIT_USERS_LIST: "-1" }, /^RATE_LIMIT_USERS_LIST must be a whole number of requests per window \(0 turns the limit off\)/],
    [{ RATE_LIMIT_USERS_CREATE: "many" }, /^RATE_LIMIT_USERS_CREATE must be a whole number of requests per window/],
    [{ SIGN_IN_MAX_FAILURES: "0" }, /^SIGN_IN_MAX_FAILURES must be a whole number of failed sign-ins, at least 1/],
    [{ SESSION_LIFETIME_SECONDS: "59" }, /^SESSION_LIFETIME_SECONDS must be a whole number of seconds, at least 60/],
    [{ TOKEN_SIGNING_ALG: "HS256" }, /^TOKEN_SIGNING_ALG must be one of ES256, RS256, EdDSA \(got "HS256"\)$/],
    [
      { USERGATE_BOOTSTRAP_CLIENT_ID: "admin-client", USERGATE_BOOTSTRAP_CLIENT_SECRET: "too-short" },
      /^USERGATE_BOOTSTRAP_CLIENT_SECRET must be a secret of at least 32 characters$/,
    ],
    [
      { USERGATE_BOOTSTRAP_CLIENT_ID: "no spaces!", USERGATE_BOOTSTRAP_CLIENT_SECRET: goodSecret },
      /^USERGATE_BOOTSTRAP_CLIENT_ID must be 8 to 128 characters of A-Z a-z 0-9 \. _ ~ -/,
    ],
    [
      { USERGATE_BOOTSTRAP_CLIENT_ID: "admin-client" },
      /^USERGATE_BOOTSTRAP_CLIENT_SECRET must be set together with the other USERGATE_BOOTSTRAP_CLIENT_\* variable$/,
    ],
    [
      { USERGATE_BOOTSTRAP_CLIENT_SECRET: goodSecret },
      /^USERGATE_BOOTSTRAP_CLIENT_ID must be set together with the other USERGATE_BOOTSTRAP_CLIENT_\* variable$/,
    ],
    [{ KEY_ENCRYPTION_KEY: "secret" }, /^KEY_ENCRYPTION_KEY must be 32 bytes in base64 or hex \(e\.g\. `openssl rand -base64 32`\)$/],
    [{ KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") }, /^KEY_ENCRYPTION_KEY must be 32 bytes in base64 or hex/],
    [{ KEY_ENCRYPTION_KEY: encryptionKeyHex.slice(2) }, /^KEY_ENCRYPTION_KEY must be 32 bytes in base64 or hex/],
    [{ KEY_ENCRYPTION_KEY_PREVIOUS: encryptionKeyHex }, /^KEY_ENCRYPTION_KEY_PREVIOUS must be set together with KEY_ENCRYPTION_KEY$/],
  ];

  it.each(cases)("%j", (env, message) => {
    const error = configErrorFor(env);
    expect(error.name).toBe("ConfigError");
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
  });

  it("keeps a multi-line value on one line", () => {
    expect(configErrorFor({ LOG_LEVEL: "info\nwarn" }).message).toBe(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "info\\nwarn")',
    );
  });

  it("never repeats a secret: the bootstrap secret is not shown, a URL's password is masked", () => {
    const shortSecret = "hunter2-but-short";
    const secretError = configErrorFor({
      USERGATE_BOOTSTRAP_CLIENT_ID: "admin-client",
      USERGATE_BOOTSTRAP_CLIENT_SECRET: shortSecret,
    });
    expect(secretError.message).not.toContain(shortSecret);
    expect(configErrorFor({ KEY_ENCRYPTION_KEY: "almost-a-key" }).message).not.toContain("almost-a-key");

    const urlError = configErrorFor({ DATABASE_URL: "mysql://root:hunter2@db.internal/usergate" });
    expect(urlError.message).toBe(
      'DATABASE_URL must be a postgres:// or postgresql:// connection URL (got "mysql://root:***@db.internal/usergate")',
    );
  });
});
