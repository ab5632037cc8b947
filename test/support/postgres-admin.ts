import pg from "pg";

/** Runs `work` on a short-lived connection to the server's maintenance database. */
export async function withDatabase<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
