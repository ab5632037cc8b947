import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "./types/realm.js";

export const schema = lexicographicSortSchema(builder.toSchema());
