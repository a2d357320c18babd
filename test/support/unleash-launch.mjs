// Starts Unleash as its own server.js does, in two steps so the slow part overlaps the database's
// start-up: load the server's modules (seconds) while initdb and postgres run, then start it (DB
// migrations, HTTP listener) once the parent writes a line to stdin saying the database is up.
// argv[2]: unleash-server's dist/lib/server-impl.js. Configuration comes from the environment.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const { start } = await import(pathToFileURL(process.argv[2]).href);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== "database-ready") continue;
  lines.close();
  try {
    await start();
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
  break;
}
