// GraphiQL with its assets inlined (about 9 MB), so it works offline. Rendered once per process
// and revalidated by ETag, so a browser downloads it once per release.
import { createHash } from "node:crypto";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

let page: { html: string; etag: string } | undefined;

function graphiqlPage() {
  if (!page) {
    const html = renderGraphiQL({
      title: "usergate GraphiQL",
      endpoint: "/graphql",
      headers: JSON.stringify({ Authorization: "Bearer <access token from POST /oauth/token>" }, null, 2),
      defaultQuery: "query Realm {\n  realm {\n    id\n    name\n  }\n}\n",
    });
    page = { html, etag: `"${createHash("sha256").update(html).digest("base64url").slice(0, 27)}"` };
  }
  return page;
}

/** GraphiQL is for browsers: a GET that accepts HTML and carries no GraphQL query. */
export function wantsGraphiQL(request: Request): boolean {
  return (
    request.method === "GET" &&
    (request.headers.get("accept") ?? "").includes("text/html") &&
    !new URL(request.url).searchParams.has("query")
  );
}

export function graphiqlResponse(request: Request): Response {
  const { html, etag } = graphiqlPage();
  const headers = { etag, "cache-control": "no-cache", "content-type": "text/html; charset=utf-8" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(html, { status: 200, headers });
}
