import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

/**
 * Takes `<dataDir>/usergate.lock` for this process. A lock left by a process that no longer
 * runs is taken over; a live one refuses with the holder's pid.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, "usergate.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
      if (Number.isInteger(holder) && (holder === process.pid || isRunning(holder))) {
        throw new DataDirLockedError(
          `the data directory ${dataDir} is in use by process ${holder}; PGlite allows one process per directory (use DATABASE_URL to run several)`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`could not take the lock ${lockPath}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
