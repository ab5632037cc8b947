import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "./support/gateway.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

const graphqlResponse = "application/graphql-response+json";

describe("the GraphQL endpoint", () => {
  it("answers introspection without a token", async () => {
    const response = await gateway.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: graphqlResponse },
      body: JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
  });

  it("refuses data without a token with 401, UNAUTHENTICATED and a Bearer challenge", async () => {
    const response = await gateway.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: graphqlResponse },
      body: JSON.stringify({ query: "{ realm { id name } }" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const body = await response.json();
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("answers a malformed query with 400 and a syntax error", async () => {
    const response = await gateway.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: graphqlResponse },
      body: JSON.stringify({ query: "{ realm { " }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toMatch(/Syntax Error/);
  });

  it("refuses a body over 2 MB with 413 before parsing it", async () => {
    const response = await gateway.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: graphqlResponse },
      body: JSON.stringify({ query: "{ __typename }", variables: { padding: "x".repeat(2 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });

  it("serves GraphiQL to a browser, with assets inlined and revalidation by ETag", async () => {
    const first = await gateway.request("/graphql", { headers: { accept: "text/html" } });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await first.text();
    expect(html).toContain("usergate GraphiQL");
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\//);
    const etag = first.headers.get("etag")!;
    const again = await gateway.request("/graphql", { headers: { accept: "text/html", "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("echoes a sane X-Request-Id and invents one otherwise", async () => {
    const given = await gateway.request("/healthz", { headers: { "x-request-id": "trace-123" } });
    expect(given.headers.get("x-request-id")).toBe("trace-123");
    const invented = await gateway.request("/healthz", { headers: { "x-request-id": "bad id\n" } });
    expect(invented.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
