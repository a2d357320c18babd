// A throwaway Unleash 7.5.1 (test/servers/unleash, installed by `.ci/run`) on its own PostgreSQL 15
// cluster, both on 127.0.0.1 and free ports, for the flag-driver tests. The cluster lives in a temp
// dir removed by stop(); PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
// A missing server or PostgreSQL is an error naming the install step, never a silent skip: CI installs both.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./start-app.js";

const here = dirname(fileURLToPath(import.meta.url));
/** test/servers/unleash/node_modules: the server and its own client SDK (unleash-client). */
export const UNLEASH_MODULES = join(here, "..", "servers", "unleash", "node_modules");
const SERVER_IMPL = join(UNLEASH_MODULES, "unleash-server", "dist", "lib", "server-impl.js");

export interface RunningUnleash {
  /** Base URL, as a user would configure it (`rollout.flag.url`). */
  readonly url: string;
  readonly project: "default";
  readonly environment: "production";
  /** Admin API token (`*:*.…`): what the driver is given. */
  readonly adminToken: string;
  /** Backend SDK token for `production`: what unleash-client evaluates with. */
  readonly clientToken: string;
  /** Frontend API token for `production`: the server evaluates one context per request. */
  readonly frontendToken: string;
  /** Seconds from the call to the cluster accepting connections, from then to Unleash answering /health, and in all. */
  readonly startSeconds: { postgres: number; unleash: number; total: number };
  /** Whether the cluster was copied from the migrated template, or this start built the template. */
  readonly template: "used" | "built" | "off" | "failed";
  /** Admin API request with the admin token (test set-up: creating flags, reading raw state). */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

const INSTALL_SERVER = "npm ci --prefix test/servers/unleash";

function postgresBin(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return fromEnv;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "postgres"))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) {
    throw new Error(`PostgreSQL is not installed (no ${root}/<version>/bin/postgres): install the Debian package \`postgresql\` (listed in .ci/apt-packages) or set PG_BIN`);
  }
  return join(root, versions[0]!, "bin");
}

/** Throws, naming the install step, when the server or PostgreSQL is missing. */
export function assertUnleashInstalled(modules = UNLEASH_MODULES): void {
  const entry = join(modules, "unleash-server", "dist", "server.js");
  if (!existsSync(entry)) {
    throw new Error(`The Unleash test server is not installed (${entry} is missing): run \`${INSTALL_SERVER}\` (.ci/run does)`);
  }
  postgresBin();
}

/** As root, PostgreSQL's own user runs the cluster (initdb and postgres refuse uid 0). */
function asPostgresUser(dir: string): { wrap: (cmd: string, args: string[]) => [string, string[]] } {
  if (process.getuid?.() !== 0) return { wrap: (cmd, args) => [cmd, args] };
  const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
  if (!Number.isInteger(uid) || uid <= 0) throw new Error("running as root, but there is no `postgres` user to run PostgreSQL as (the Debian package `postgresql` creates it)");
  chownSync(dir, uid, gid);
  return { wrap: (cmd, args) => ["runuser", ["-u", "postgres", "--", cmd, ...args]] };
}

function collect(child: ChildProcess): string[] {
  const output: string[] = [];
  child.stdout?.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  child.stderr?.on("data", (c: Buffer) => output.push(c.toString("utf8")));
  return output;
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, pid = child.pid): Promise<void> {
  const exited = exitOf(child);
  if (child.exitCode === null && child.signalCode === null && pid) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
  const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      if (pid) process.kill(pid, "SIGKILL");
    } catch {
      // Gone between the timeout and now.
    }
    child.kill("SIGKILL");
    await exited;
  }
}

// Unleash's ~500 migrations are most of a fresh start. The first start keeps a copy of its migrated
// cluster (pg_basebackup of the running one, before any test writes) and later starts copy that
// instead of running initdb and the migrations. Keyed by every input of its content: the server's
// version, PostgreSQL's major version and the fixed tokens below (LAYOUT). UNLEASH_TEST_TEMPLATE=off
// starts from scratch every time.
const LAYOUT = 1;
function templateDir(bin: string): string | undefined {
  if (process.env.UNLEASH_TEST_TEMPLATE === "off") return undefined;
  const version = (JSON.parse(readFileSync(join(UNLEASH_MODULES, "unleash-server", "package.json"), "utf8")) as { version: string }).version;
  const major = /(\d+)\/bin\/?$/.exec(bin)?.[1] ?? "pg";
  return join(tmpdir(), `release-gate-unleash-template-${version}-pg${major}-v${LAYOUT}-uid${process.getuid?.() ?? 0}`);
}

async function run(cmd: string, args: string[]): Promise<void> {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output = collect(child);
  const code = await new Promise<number | null>((resolve, reject) => child.on("error", reject).on("exit", (c) => resolve(c)));
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${code}):\n${output.join("")}`);
}

const seconds = (from: number) => Math.round((performance.now() - from) / 10) / 100;

export async function startUnleash(): Promise<RunningUnleash> {
  assertUnleashInstalled();
  const bin = postgresBin();
  const begun = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "release-gate-unleash-"));
  const { wrap } = asPostgresUser(dir);
  const data = join(dir, "data");
  let postgres: ChildProcess | undefined;
  let unleash: ChildProcess | undefined;
  let postmasterPid: number | undefined;

  const cleanUp = async () => {
    if (unleash) await stopChild(unleash, "SIGTERM");
    // runuser does not pass signals on: the postmaster's own pid gets SIGINT (PostgreSQL's fast shutdown).
    if (postgres) await stopChild(postgres, "SIGINT", postmasterPid ?? postgres.pid);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const pgPort = await freePort();
    const httpPort = await freePort();
    // Fixed, as the template keeps them (Unleash creates INIT_* tokens only in an empty token table);
    // the server listens on loopback only and lives for one test file.
    const adminToken = "*:*.release-gate-test-admin";
    const clientToken = "default:production.release-gate-test-client";
    const frontendToken = "default:production.release-gate-test-frontend";
    const url = `http://127.0.0.1:${httpPort}`;

    // Unleash loads its modules (the slowest part of its start) while the cluster is created and
    // started; it connects only when told the database is up.
    // A minimal environment: nothing of the test run's own (tokens, proxies) reaches the server, and
    // its version check and telemetry stay off (no request leaves the machine).
    unleash = spawn(process.execPath, [join(here, "unleash-launch.mjs"), SERVER_IMPL], {
      cwd: dirname(UNLEASH_MODULES),
      stdio: ["pipe", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: dir,
        NODE_ENV: "production",
        DATABASE_URL: `postgres://unleash@127.0.0.1:${pgPort}/postgres`,
        DATABASE_SSL: "false",
        HTTP_HOST: "127.0.0.1",
        HTTP_PORT: String(httpPort),
        UNLEASH_URL: url,
        CHECK_VERSION: "false",
        SEND_TELEMETRY: "false",
        SCARF_ANALYTICS: "false",
        DO_NOT_TRACK: "1",
        LOG_LEVEL: "error",
        INIT_ADMIN_API_TOKENS: adminToken,
        INIT_CLIENT_API_TOKENS: clientToken,
        INIT_FRONTEND_API_TOKENS: frontendToken,
      },
    });
    const unleashOutput = collect(unleash);
    // A launcher that died early must surface through its output below, not as an EPIPE here.
    unleash.stdin!.on("error", () => undefined);

    const template = templateDir(bin);
    const fromTemplate = template !== undefined && existsSync(join(template, "complete"));
    if (fromTemplate) {
      // -a keeps the postgres user's ownership and the 0700 mode PostgreSQL insists on.
      await run("cp", ["-a", join(template, "data"), data]);
    } else {
      // --no-sync and no fsync: a throwaway cluster, durability buys nothing but seconds.
      await run(...wrap(join(bin, "initdb"), ["-D", data, "-U", "unleash", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]));
    }

    const [pgCmd, pgArgs] = wrap(join(bin, "postgres"), [
      "-D", data, "-k", dir, "-p", String(pgPort), "-h", "127.0.0.1",
      "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
    ]);
    postgres = spawn(pgCmd, pgArgs, { stdio: ["ignore", "pipe", "pipe"] });
    const pgOutput = collect(postgres);
    await waitFor(() => pgOutput.join("").includes("ready to accept connections"), postgres, 15_000, () => `PostgreSQL did not start on ${pgPort}${copied(template, fromTemplate)}:\n${pgOutput.join("")}`);
    postmasterPid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    const postgresSeconds = seconds(begun);

    unleash.stdin!.end("database-ready\n");
    await waitFor(
      async () => {
        try {
          return (await fetch(`${url}/health`)).ok;
        } catch {
          return false;
        }
      },
      unleash,
      60_000,
      () => `Unleash did not answer ${url}/health${copied(template, fromTemplate)}:\n${unleashOutput.join("").slice(-4000)}`,
    );
    const total = seconds(begun);
    const templateState = template === undefined ? "off" : fromTemplate ? "used" : await keepTemplate(template, bin, pgPort);

    return {
      url,
      project: "default",
      environment: "production",
      adminToken,
      clientToken,
      frontendToken,
      startSeconds: { postgres: postgresSeconds, unleash: Math.round((total - postgresSeconds) * 100) / 100, total },
      template: templateState,
      async admin(method, path, body) {
        const response = await fetch(`${url}/api/admin${path}`, {
          method,
          headers: { authorization: adminToken, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
      },
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

const copied = (template: string | undefined, used: boolean) => (used ? ` (its cluster was copied from ${template}: delete that folder, or set UNLEASH_TEST_TEMPLATE=off, to start from scratch)` : "");

/** A consistent copy of the running, freshly migrated cluster; a failure only costs the next start its speed. */
async function keepTemplate(template: string, bin: string, pgPort: number): Promise<"built" | "failed"> {
  const building = mkdtempSync(join(tmpdir(), "release-gate-unleash-template-build-"));
  try {
    const { wrap } = asPostgresUser(building);
    await run(...wrap(join(bin, "pg_basebackup"), ["-h", "127.0.0.1", "-p", String(pgPort), "-U", "unleash", "-D", join(building, "data"), "-X", "fetch", "--no-sync", "-c", "fast"]));
    writeFileSync(join(building, "complete"), "");
    // Atomic: a parallel start sees the whole template or none. Another start may have won the race.
    renameSync(building, template);
    return "built";
  } catch {
    rmSync(building, { recursive: true, force: true });
    return "failed";
  }
}

async function waitFor(ready: () => boolean | Promise<boolean>, child: ChildProcess, ms: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ready()) return;
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(describe());
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface UnleashContext {
  userId?: string;
  properties?: Record<string, string>;
}

/**
 * isEnabled for each context, answered by Unleash's official Node SDK (unleash-client, inside the
 * server's node_modules) after one fetch of the server's client API with the backend token.
 */
export async function evaluateWithUnleashClient(server: RunningUnleash, feature: string, contexts: readonly UnleashContext[]): Promise<boolean[]> {
  const child = spawn(process.execPath, [join(here, "unleash-evaluate.mjs")], { stdio: ["pipe", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on("data", (c: Buffer) => stdout.push(c));
  child.stderr!.on("data", (c: Buffer) => stderr.push(c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  child.stdin!.end(JSON.stringify({ modules: UNLEASH_MODULES, url: server.url, token: server.clientToken, feature, contexts }));
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`unleash-client evaluation failed (exit ${code}):\n${Buffer.concat(stderr).toString("utf8")}`);
  return (JSON.parse(Buffer.concat(stdout).toString("utf8")) as { enabled: boolean[] }).enabled;
}

/** The flag as the server's client API serves it to SDKs now (what unleash-client will evaluate). */
export async function clientApiFeature(server: RunningUnleash, feature: string): Promise<{ enabled: boolean; strategies: unknown[] } | undefined> {
  const response = await fetch(`${server.url}/api/client/features`, { headers: { authorization: server.clientToken } });
  if (!response.ok) throw new Error(`client API answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { features: { name: string; enabled: boolean; strategies: unknown[] }[] };
  return body.features.find((f) => f.name === feature);
}

/**
 * Waits until the client API (what SDKs read; the server refreshes it about every second) serves the
 * flag as the Admin API holds it in `production`, so an evaluation never reads a stale copy.
 */
export async function untilServed(server: RunningUnleash, feature: string, expectEnabled: boolean, timeoutMs = 20_000): Promise<void> {
  const begun = performance.now();
  const want = await server.admin("GET", `/projects/default/features/${feature}`);
  type Rule = { parameters: unknown; constraints: unknown };
  const env = (want.body as { environments: { name: string; enabled: boolean; strategies: Rule[] }[] }).environments.find((e) => e.name === "production")!;
  // The client API serves strategies without ids: compared by what they do.
  const rules = (strategies: Rule[]) => JSON.stringify(strategies.map((s) => JSON.stringify([s.parameters, s.constraints])).sort());
  const wanted = rules(env.strategies);
  for (;;) {
    const served = await clientApiFeature(server, feature);
    if (served && served.enabled === expectEnabled && served.enabled === env.enabled && rules(served.strategies as Rule[]) === wanted) return;
    if (performance.now() - begun > timeoutMs) throw new Error(`the client API still serves ${JSON.stringify(served)} ${timeoutMs / 1000} s after the change`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
