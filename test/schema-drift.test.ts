// schema.graphql is committed so that reviewers see API changes and codegen has a schema to
// read. It must be exactly what the code builds.
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { printedSchema, schemaFile } from "../src/graphql/print-schema.js";

it("the committed schema.graphql is the schema the code builds", async () => {
  const committed = await readFile(schemaFile, "utf8");
  const built = printedSchema();
  expect(
    committed,
    "schema.graphql differs from the schema the code builds: run `npm run schema:print` and commit the result",
  ).toBe(built);
});
