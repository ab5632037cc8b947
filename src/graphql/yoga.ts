// The GraphQL endpoint. The HTTP layer authenticates the request and hands Yoga the whole
// context (database, principal, request id), so GraphQL and the REST profiles share one path.
import { createYoga, maskError } from "graphql-yoga";
import type { Logger } from "../logger.js";
import { ForbiddenError } from "../services/errors.js";
import type { GraphQLContext } from "./context.js";
import { insufficientScopeError } from "./errors.js";
import { schema } from "./schema.js";
import { useReadScopes } from "./use-read-scopes.js";

/** Requests above this size are refused before parsing (in app.ts); the largest input is a 500-row batch. */
export const maxGraphQLBodyBytes = 2 * 1024 * 1024;

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;

export function createGraphQLServer(logger: Logger) {
  return createYoga<GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    // GraphiQL is served by ./graphiql-page.ts with its assets inlined (no CDN) and cached.
    graphiql: false,
    landingPage: false,
    // Enforced in front of Yoga by a cheaper check (see app.ts).
    maxRequestBodySize: false,
    // What an operation reads needs the read scope of each type it reads, payloads included.
    plugins: [useReadScopes()],
    // The privilege policy refuses inside services, which know no GraphQL: its refusal is an
    // access failure like a missing field scope, so it leaves unmasked with the same code.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = (error as { originalError?: unknown }).originalError;
        if (original instanceof ForbiddenError) return insufficientScopeError(original.message, original.missingScopes);
        return maskError(error, message, isDev);
      },
    },
    logging: {
      debug: (...args) => logger.debug({ yoga: args }, "graphql"),
      info: (...args) => logger.info({ yoga: args }, "graphql"),
      warn: (...args) => logger.warn({ yoga: args }, "graphql"),
      error: (...args) => logger.error({ err: args[0], yoga: args.slice(1) }, "graphql error"),
    },
  });
}
