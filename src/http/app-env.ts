import type { InvalidTokenError } from "../auth/auth-errors.js";
import type { GraphQLContext } from "../graphql/context.js";
import type { Principal } from "../graphql/principal.js";

/** What every route of the app can read from its Hono context. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** The caller, when the request carried a valid credential. */
    principal: Principal | null;
    /** Why the credential was refused; each transport answers 401 in its own shape. */
    authFailure: InvalidTokenError | null;
    /** The context GraphQL operations of this request run with. */
    graphqlContext: GraphQLContext;
  };
};
