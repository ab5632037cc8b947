// `npm run pglite:template`, run by postinstall: builds the migrated PGlite template. A failure
// only costs the first start its speed-up, so it warns on one line and never fails the install,
// not even when the modules themselves cannot be loaded (hence the dynamic import).
try {
  const started = performance.now();
  const { writeTemplate } = await import("./pglite-template.js");
  const dir = await writeTemplate();
  process.stdout.write(`usergate: PGlite template ready in ${Math.round(performance.now() - started)} ms (${dir})\n`);
} catch (error) {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  process.stderr.write(`usergate: could not build the PGlite template; first starts will run initdb instead (${reason})\n`);
}
