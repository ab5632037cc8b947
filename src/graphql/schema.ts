import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "./types/application.js";
import "./types/errors.js";
import "./types/management-key.js";
import "./types/realm.js";
import "./types/resource.js";
import "./types/role.js";
import "./types/signing-key.js";
import "./types/tenant.js";
import "./types/user.js";

export const schema = lexicographicSortSchema(builder.toSchema());
