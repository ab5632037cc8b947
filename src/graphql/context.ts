import type { AuthServices } from "../auth/auth-services.js";
import type { SqlReader } from "../db/sql-reader.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { Principal } from "./principal.js";

export type GraphQLContext = {
  prisma: PrismaClient;
  read: SqlReader;
  principal: Principal | null;
  requestId: string;
  logger: Logger;
  auth: AuthServices;
};
