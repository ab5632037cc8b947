// GraphQL Code Generator: typed documents for the operations the REST adapter and the tests run.
// `npm run codegen` reads the committed schema.graphql (kept in step by `npm run schema:print`)
// and every `.graphql` operation under src/ and test/, and writes src/generated/graphql.ts.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.graphql", "test/**/*.graphql"],
  // No operations yet is not an error (the file then holds only helper types).
  ignoreNoDocuments: true,
  generates: {
    "src/generated/graphql.ts": {
      // typescript-operations 6 emits the enums and input types the operations use by itself;
      // adding the `typescript` plugin as well declares those enums twice.
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        // Scalars as they travel in JSON. One not listed here is typed `unknown` until added.
        defaultScalarType: "unknown",
        scalars: {
          DateTime: "string",
          Date: "string",
          EmailAddress: "string",
          URL: "string",
          UUID: "string",
          JSON: "unknown",
          JSONObject: "Record<string, unknown>",
          PositiveInt: "number",
          NonNegativeInt: "number",
        },
      },
    },
  },
};

export default config;
