// Compiled queries run against a real, migrated database (PGlite, or PostgreSQL when
// DATABASE_URL is set): which of five seeded users each query finds, and that the
// index-relevant queries can be answered from the search indexes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../../test/support/test-database.js";
import { newId } from "../../db/ids.js";
import { Prisma } from "../../generated/prisma/client.js";
import { compileUserSearch } from "./index.js";

let database: TestDatabase;
let realmId: string;
let otherRealmId: string;
const ids: Record<string, string> = {};
const names = new Map<string, string>();

beforeAll(async () => {
  database = await openTestDatabase();
  const { prisma } = database;
  realmId = newId("realm");
  otherRealmId = newId("realm");
  await prisma.realm.create({ data: { id: realmId, name: `search-${realmId}` } });
  await prisma.realm.create({ data: { id: otherRealmId, name: `search-${otherRealmId}` } });

  const users: Array<[string, Omit<Prisma.UserUncheckedCreateInput, "id" | "realmId">]> = [
    ["alice", {
      email: "alice@example.com", emailVerified: true, name: "Alice Martin", givenName: "Alice", familyName: "Martin",
      nickname: "ali", username: "alice", createdAt: new Date("2025-01-15T10:00:00Z"), lastLoginAt: new Date("2025-06-01T08:00:00Z"),
      loginsCount: 12, appMetadata: { plan: "pro", roles: ["editor", "user"], seats: 30 },
      userMetadata: { address: { city: "Paris", zip: "75001" } }, customAttributes: { department: "R&D" },
    }],
    ["bob", {
      email: "bob.smith@example.org", name: "Bob Smith", givenName: "Bob", familyName: "Smith", nickname: "bobby",
      username: "bsmith", status: "suspended", createdAt: new Date("2025-03-01T00:00:00Z"), loginsCount: 0,
      appMetadata: { plan: "free", roles: ["user"], seats: "30" }, userMetadata: { address: { city: "London" } },
    }],
    ["carol", {
      email: "carol@example.com", name: "Carol O'Brien", givenName: "Carol", familyName: "O'Brien", status: "invited",
      connection: "google-oauth2", createdAt: new Date("2025-12-31T23:59:59.999Z"), loginsCount: 3,
      appMetadata: { plan: "pro_trial", beta: true }, userMetadata: { address: { city: "Paris" } },
      customAttributes: { department: "Sales" },
    }],
    ["dave", {
      email: "dave_100%@example.net", name: "Dave 100% Real", givenName: "Dave", familyName: "Johnson", nickname: "Johnny",
      username: "dave", status: "inactive", phone: "+33612345678", createdAt: new Date("2024-06-01T12:00:00Z"), loginsCount: 250,
      userMetadata: { addresses: [{ city: "Lyon" }, { city: "Nice" }] },
    }],
    ["eve", { username: "eve", createdAt: new Date("2026-01-01T00:00:00Z"), loginsCount: 1 }],
  ];
  for (const [label, data] of users) {
    const id = newId("user");
    ids[label] = id;
    names.set(id, label);
    await prisma.user.create({ data: { ...data, id, realmId } });
  }
  await prisma.identity.create({
    data: { id: newId("identity"), realmId, userId: ids.dave!, provider: "github", providerUserId: "42", connection: "github" },
  });
  // The same person in another realm: never found from the first.
  await prisma.user.create({
    data: { id: newId("user"), realmId: otherRealmId, email: "alice@example.com", name: "Alice Martin", appMetadata: { plan: "pro" } },
  });
});

afterAll(() => database?.close());

async function search(query: string, realm = realmId): Promise<string[]> {
  const fragment = compileUserSearch(query);
  const rows = await database.prisma.$queryRaw<Array<{ id: string }>>(
    Prisma.sql`SELECT id FROM "User" WHERE "realmId" = ${realm} AND ${fragment} ORDER BY id`,
  );
  return rows.map((row) => names.get(row.id) ?? row.id).sort();
}

const everyone = ["alice", "bob", "carol", "dave", "eve"];
const except = (...labels: string[]) => everyone.filter((label) => !labels.includes(label));

describe("user search against the database", () => {
  describe("email", () => {
    it.each([
      ['email:"alice@example.com"', ["alice"]],
      ["email:ALICE@Example.COM", ["alice"]],
      ["email:bob*", ["bob"]],
      ["email:DAVE_*", ["dave"]],
      ["email:d_ve*", []], // "_" is a literal, not LIKE's any-character
      ["email:dave_100%@*", ["dave"]],
      ["email:dave_1%*", []], // "%" is a literal too
      ["email.domain:example.com", ["alice", "carol"]],
      ["email.domain:example.*", ["alice", "bob", "carol", "dave"]],
      ["email:*", ["alice", "bob", "carol", "dave"]],
    ])("%s finds %j", async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe("names", () => {
    it.each([
      ['name:"alice martin"', ["alice"]],
      ["name:alice", []], // exact: the whole name
      ["name:ali*", ["alice"]],
      ["name:Dave\\ 100\\%*", ["dave"]],
      ["given_name:CAROL", ["carol"]],
      ["givenName:carol", ["carol"]],
      ["family_name:o'brien", ["carol"]],
      ["nickname:john*", ["dave"]],
      ["username:BSMITH", ["bob"]],
      ["login_id:eve", ["eve"]],
      ["name:(alice* OR bob*)", ["alice", "bob"]],
    ])("%s finds %j", async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe("bare terms search name, given and family name, nickname, username and email", () => {
    it.each([
      ["john", ["dave"]], // Johnson, Johnny
      ["MARTIN", ["alice"]],
      ["example.com", ["alice", "carol"]],
      ['"smith bobby"', ["bob"]], // family name and nickname, side by side
      ["100%", ["dave"]],
      ["jo*", ["dave"]],
      ["mart*", ["alice"]],
      ["bob*", ["bob"]],
      ["alice paris", []],
      ["*", everyone],
      ["", everyone],
    ])("%j finds %j", async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe("identifiers, status and flags", () => {
    it("finds a user by id, or by connection|id", async () => {
      expect(await search(`user_id:${ids.alice}`)).toEqual(["alice"]);
      expect(await search(`user_id:"usergate|${ids.alice}"`)).toEqual(["alice"]);
      expect(await search(`user_id:google-oauth2|${ids.alice}`)).toEqual([]);
      expect(await search(`user_id:google-oauth2|${ids.carol}`)).toEqual(["carol"]);
    });

    it.each([
      ["status:suspended", ["bob"]],
      ["status:pending", ["carol"]],
      ["status:inactive", ["dave"]],
      ["blocked:true", ["bob"]],
      ["blocked:false", except("bob")],
      ["email_verified:true", ["alice"]],
      ["email_verified:false", except("alice")],
      ["identities.connection:github", ["dave"]],
      ["connection:google-oauth2", ["carol"]],
      ["connection:usergate", except("carol")],
      ['phone_number:"+33612345678"', ["dave"]],
      ["phone:+336*", ["dave"]],
    ])("%s finds %j", async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe("dates and counts", () => {
    it.each([
      ["created_at:[2025-01-01 TO 2025-12-31]", ["alice", "bob", "carol"]], // includes all of Dec 31
      ["created_at:{2025-01-15 TO *]", ["bob", "carol", "eve"]], // excludes all of Jan 15
      ["created_at:2025-03-01", ["bob"]],
      ["created_at:<2025-01-01", ["dave"]],
      ["created_at:[2025-01-15T10:00:00Z TO 2025-01-15T10:00:00Z]", ["alice"]],
      ["created_at:2025-01-15T11:00+01:00", ["alice"]],
      ["last_login:*", ["alice"]],
      ["NOT last_login:*", except("alice")],
      ["last_login:[2025-06-01 TO *]", ["alice"]],
      ["logins_count:[1 TO 12]", ["alice", "carol", "eve"]],
      ["logins_count:{1 TO 12}", ["carol"]],
      ["logins_count:>100", ["dave"]],
      ["logins_count:0", ["bob"]],
    ])("%s finds %j", async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe("metadata and custom attributes", () => {
    it.each([
      ['app_metadata.plan:"pro"', ["alice"]],
      ["app_metadata.plan:PRO", []], // JSON values compare case-sensitively
      ["app_metadata.plan:pro*", ["alice", "carol"]],
      ["app_metadata.plan:*", ["alice", "bob", "carol"]],
      ["app_metadata.roles:editor", ["alice"]], // inside an array
      ["app_metadata.roles:user", ["alice", "bob"]],
      ["app_metadata.seats:30", ["alice", "bob"]], // the number 30 or the string "30"
      ['app_metadata.seats:"30"', ["bob"]], // quoted: the string only
      ["app_metadata.beta:true", ["carol"]],
      ["user_metadata.address.city:Paris", ["alice", "carol"]],
      ["userMetadata.address.city:paris", []],
      ["user_metadata.address.zip:75001", ["alice"]],
      ['custom_attributes.department:"R&D"', ["alice"]],
      ["customAttributes.department:Sales", ["carol"]],
      ["app_metadata.missing.key:x", []],
      ["user_metadata.addresses.city:Nice", ["dave"]], // through an array of objects
      ["user_metadata.addresses.city:*", ["dave"]],
      ['app_metadata.plan:"pro\\" || $.plan == \\"free"', []], // a string, not a second condition
    ])("%s finds %j", async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe("boolean combinations", () => {
    it.each([
      ["app_metadata.plan:pro OR status:suspended", ["alice", "bob"]],
      ["email.domain:example.com status:invited", ["carol"]],
      ["(status:active OR status:invited) AND email.domain:example.com", ["alice", "carol"]],
      ["status:active OR status:invited AND email.domain:example.com", ["alice", "carol", "eve"]],
      // A missing value does not match, so its negation does: eve has no name and no email.
      ['NOT name:"alice martin"', except("alice")],
      ["-email.domain:example.com", ["bob", "dave", "eve"]],
      ["NOT (john OR martin)", ["bob", "carol", "eve"]],
      ["-app_metadata.plan:pro -status:inactive", ["bob", "carol", "eve"]],
    ])("%s finds %j", async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  it("stays inside the realm it is combined with", async () => {
    expect(await search("email:alice@example.com", otherRealmId)).toHaveLength(1);
    expect(await search("email:alice@example.com")).toEqual(["alice"]);
  });

  it("treats SQL in a value as text", async () => {
    expect(await search(`name:"x' OR '1'='1"`)).toEqual([]);
    expect(await search(`"'); DROP TABLE \\"User\\"; --"`)).toEqual([]);
    expect(await database.prisma.user.count({ where: { realmId } })).toBe(5);
  });

  describe("index use", () => {
    // A handful of rows is too few for the planner to prefer any index, so these plans switch
    // sequential scans off and leave out the realm filter (which every realm-leading index would
    // serve): the only index left to choose is one that serves the compiled expression itself.
    // The plans with the realm filter on realistic data are in the issue note (EXPLAIN on PostgreSQL).
    async function plan(query: string): Promise<string> {
      const fragment = compileUserSearch(query);
      return database.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
        const rows = await tx.$queryRaw<Array<Record<string, string>>>(
          Prisma.sql`EXPLAIN SELECT id FROM "User" WHERE ${fragment}`,
        );
        return rows.map((row) => Object.values(row)[0]).join("\n");
      });
    }

    it.each([
      ["email:alice@example.com", "User_realmId_email_"], // the unique key or the pattern index
      ["email:ali*", "User_realmId_email_pattern_idx"],
      ["name:ali*", "User_realmId_lower_name_idx"],
      ['name:"Alice Martin"', "User_realmId_lower_name_idx"],
      ["given_name:car*", "User_realmId_lower_givenName_idx"],
      ["family_name:mar*", "User_realmId_lower_familyName_idx"],
      ["nickname:bob*", "User_realmId_lower_nickname_idx"],
      ["username:bsm*", "User_realmId_lower_username_idx"],
      ['app_metadata.plan:"pro"', "User_appMetadata_path_idx"],
      ["user_metadata.address.city:Paris", "User_userMetadata_path_idx"],
      ["custom_attributes.department:Sales", "User_customAttributes_path_idx"],
      ["martin", "User_searchText_trgm_idx"],
    ])("%s can use %s", async (query, index) => {
      const text = await plan(query);
      expect(text).toContain(index);
      expect(text).not.toMatch(/Seq Scan on "User"/);
    });

    it("writes GIN entries at once: no pending list for searches to scan", async () => {
      const gin = await database.prisma.$queryRaw<Array<{ name: string; options: string[] | null }>>`
        SELECT c.relname::text AS name, c.reloptions::text[] AS options FROM pg_class c
        JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_am am ON am.oid = c.relam
        WHERE i.indrelid = '"User"'::regclass AND am.amname = 'gin' ORDER BY c.relname`;
      expect(gin.map((index) => index.name)).toHaveLength(4);
      for (const index of gin) expect(index.options, index.name).toContain("fastupdate=off");
    });
  });
});
