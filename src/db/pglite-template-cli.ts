// `npm run pglite:template`, run by postinstall: builds the migrated PGlite template. A failure
// only costs the first start its speed-up, so it warns and never fails the install.
import { writeTemplate } from "./pglite-template.js";

try {
  const started = performance.now();
  const file = await writeTemplate();
  process.stdout.write(`usergate: PGlite template ready in ${Math.round(performance.now() - started)} ms (${file})\n`);
} catch (error) {
  process.stderr.write(`usergate: could not build the PGlite template; first starts will run initdb instead (${String(error)})\n`);
}
