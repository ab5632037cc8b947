// src/generated/graphql.ts (the typed operations the REST adapter runs) is committed, so that an
// install without devDependencies needs no code generator. It must be what codegen writes now.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { expect, it } from "vitest";
import config from "../codegen.js";

it("the committed src/generated/graphql.ts is what `npm run codegen` generates", async () => {
  const outputs = (await generate({ ...config, silent: true }, false)) as Array<{ filename: string; content: string }>;
  expect(outputs.map((output) => output.filename)).toEqual(["src/generated/graphql.ts"]);
  for (const output of outputs) {
    const committed = await readFile(path.join(import.meta.dirname, "..", output.filename), "utf8");
    expect(committed, `${output.filename} is out of date: run \`npm run codegen\` and commit the result`).toBe(output.content);
  }
});
