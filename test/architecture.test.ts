// Dependencies run one way (DESIGN.md): main → app → rest → graphql (auth beside it) → services → db.
// The REST layer never touches storage or domain rules directly; services and db know no transport.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']/gm)].map((match) => {
    const specifier = match[1]!;
    return specifier.startsWith(".") ? path.relative(src, path.resolve(path.dirname(file), specifier)) : specifier;
  });
}

function violations(folder: string, forbidden: RegExp): string[] {
  return sourceFiles(path.join(src, folder)).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.test(target))
      .map((target) => `${path.relative(src, file)} imports ${target}`),
  );
}

/**
 * DESIGN.md's direction, main → app → rest → graphql → services → db with auth beside graphql, as
 * ranks: a module imports only its own folder or lower ranks. `http` holds the transport plumbing
 * the app and the REST profiles share; prepare-database (migrations, provisioning, keys) runs at
 * process start beside the app. config, logger and generated code are leaves anyone uses.
 */
const ranks: Record<string, number> = { db: 1, services: 2, auth: 3, graphql: 3, http: 4, rest: 5, app: 6, "prepare-database": 6, main: 7 };
const leaf = /^(config|logger|logged-error)\.(js|ts)$|^generated\//;

/** The layer of a path relative to src/ ("db/ids.js" → db, "app.js" → app), or null for leaves and packages. */
function layerOf(target: string): string | null {
  const name = target.split("/")[0]!.replace(/\.(js|ts)$/, "");
  return name in ranks ? name : null;
}

function upwardImports(): string[] {
  return sourceFiles(src).flatMap((file) => {
    const from = layerOf(path.relative(src, file));
    if (!from) return [];
    return importsOf(file)
      .filter((target) => {
        const to = layerOf(target);
        return to !== null && to !== from && ranks[to]! >= ranks[from]! && !(ranks[to] === 3 && ranks[from] === 3);
      })
      .map((target) => `${path.relative(src, file)} imports ${target}`);
  });
}

describe("module dependencies", () => {
  it("run one way: main → app → rest → graphql (auth beside it) → services → db", () => {
    expect(upwardImports()).toEqual([]);
  });

  it("keeps the leaves (configuration, logging) free of every layer", () => {
    const leafFiles = sourceFiles(src).filter((file) => leaf.test(path.relative(src, file)));
    const layered = leafFiles.flatMap((file) =>
      importsOf(file)
        .filter((target) => layerOf(target) !== null)
        .map((target) => `${path.relative(src, file)} imports ${target}`),
    );
    expect(layered).toEqual([]);
  });

  it("keeps the REST layer off the database, the domain services and Prisma", () => {
    expect(violations("rest", /^(db|services)\/|^generated\/prisma|^@prisma\/|^pg$|^@electric-sql\//)).toEqual([]);
  });

  it("keeps services and db free of transports and their packages (GraphQL, HTTP, REST) and of the token layer", () => {
    const outside = /^(graphql|rest|http|auth|app)(\/|\.js$)|^graphql-yoga|^graphql$|^hono|^@hono\/|^@pothos\//;
    expect([...violations("services", outside), ...violations("db", outside)]).toEqual([]);
  });
});
