// Dependencies run one way (DESIGN.md): rest → graphql → services → db. The REST layer never
// touches storage or domain rules directly; services and db know no transport.
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

describe("module dependencies", () => {
  it("keeps the REST layer off the database, the domain services and Prisma", () => {
    expect(violations("rest", /^(db|services)\/|^generated\/prisma|^@prisma\/|^pg$|^@electric-sql\//)).toEqual([]);
  });

  it("keeps services and db free of transports (GraphQL, HTTP, REST)", () => {
    const transports = /^(graphql|rest|http|app)(\/|\.js$)|^graphql-yoga|^hono|^@hono\/|^@pothos\//;
    expect([...violations("services", transports), ...violations("db", transports)]).toEqual([]);
  });

  it("keeps GraphQL unaware of the REST profiles", () => {
    expect(violations("graphql", /^rest\//)).toEqual([]);
  });
});
