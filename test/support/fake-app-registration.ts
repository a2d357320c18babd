// GitHub's side of registering an app from a manifest (docs.github.com: "Registering a GitHub App
// from a manifest"), for the Quick start e2e test: the web form that takes the manifest and answers
// with a temporary code, the REST conversion of that code into the app's credentials, installation
// tokens only for a JWT the registered app signed, and webhook deliveries to the app's hook URL
// signed with the secret the conversion handed out.
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, verify } from "node:crypto";
import type { Route, RouteResponse } from "./fake-github.js";

/** The manifest fields GitHub reads (plus whatever else Probot sends, kept as is). */
export interface AppManifest {
  name?: string;
  url?: string;
  description?: string;
  public?: boolean;
  redirect_url?: string;
  hook_attributes?: { url?: string; active?: boolean };
  default_permissions?: Record<string, string>;
  default_events?: string[];
}

export interface RegisteredApp {
  id: number;
  slug: string;
  manifest: AppManifest;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  pem: string;
  publicKeyPem: string;
  owner: string;
}

/**
 * Which permission GitHub requires before an app may subscribe to an event (GitHub rejects the
 * manifest otherwise). Events the app does not name here are refused as unknown: the fake only
 * knows the events app.yml uses, and it says so rather than accept a typo.
 */
const EVENT_PERMISSIONS: Record<string, readonly string[]> = {
  pull_request: ["pull_requests"],
  pull_request_review: ["pull_requests"],
  check_run: ["checks"],
  check_suite: ["checks"],
  issue_comment: ["issues", "pull_requests"],
  issues: ["issues"],
  deployment: ["deployments"],
  deployment_status: ["deployments"],
  deployment_protection_rule: ["deployments"],
  merge_group: ["merge_queues"],
  push: ["contents"],
};
const ACCESS = new Set(["read", "write", "admin"]);
const CODE_LIFETIME_MS = 60 * 60 * 1000;

export class FakeAppRegistry {
  readonly apps: RegisteredApp[] = [];
  /** Installation id → app id and the account it is installed on. */
  readonly installations = new Map<number, { appId: number; account: string }>();
  private readonly codes = new Map<string, { manifest: AppManifest; owner: string; issuedAt: number; used: boolean }>();
  private nextAppId = 900_001;
  private nextInstallationId = 70_001;

  /** Every way the manifest departs from what GitHub's form accepts; empty when it registers. */
  static validate(manifest: AppManifest): string[] {
    const problems: string[] = [];
    if (!manifest.name?.trim()) problems.push("name is required");
    else if (manifest.name.length > 34) problems.push("name is too long (maximum is 34 characters)");
    if (!manifest.url?.trim()) problems.push("url is required");
    if (manifest.hook_attributes?.active !== false && !manifest.hook_attributes?.url?.trim()) problems.push("hook_attributes.url is required");
    for (const [permission, access] of Object.entries(manifest.default_permissions ?? {})) {
      if (!ACCESS.has(access)) problems.push(`default_permissions.${permission}: ${access} is not read, write or admin`);
    }
    for (const event of manifest.default_events ?? []) {
      const needs = EVENT_PERMISSIONS[event];
      if (!needs) problems.push(`default_events: ${event} is unknown to this stand-in`);
      else if (!needs.some((p) => manifest.default_permissions?.[p])) problems.push(`Default events unsupported: ${event} (needs ${needs.join(" or ")} permission)`);
    }
    return problems;
  }

  /**
   * The form github.com/settings/apps/new: the person presses "Create GitHub App" and GitHub
   * redirects the browser to the manifest's `redirect_url` with a code valid for an hour, once.
   */
  submitManifest(manifestJson: string, owner = "acme"): { ok: true; code: string; location: string } | { ok: false; problems: string[] } {
    let manifest: AppManifest;
    try {
      manifest = JSON.parse(manifestJson) as AppManifest;
    } catch {
      return { ok: false, problems: ["manifest is not JSON"] };
    }
    const problems = FakeAppRegistry.validate(manifest);
    if (problems.length > 0) return { ok: false, problems };
    const code = randomBytes(20).toString("hex");
    this.codes.set(code, { manifest, owner, issuedAt: Date.now(), used: false });
    const location = new URL(manifest.redirect_url ?? manifest.url!);
    location.searchParams.set("code", code);
    return { ok: true, code, location: location.toString() };
  }

  /** "Install" on the app's page: an installation on `account`. */
  install(appId: number, account: string): number {
    const id = this.nextInstallationId++;
    this.installations.set(id, { appId, account });
    return id;
  }

  /**
   * GitHub delivering an event: POST to the app's hook URL with GitHub's headers and the
   * signature made with the webhook secret the conversion returned.
   */
  async deliver(app: RegisteredApp, event: string, payload: unknown): Promise<number> {
    const body = JSON.stringify(payload);
    const response = await fetch(app.manifest.hook_attributes!.url!, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/fake",
        "x-github-event": event,
        "x-github-delivery": randomUUID(),
        "x-github-hook-installation-target-type": "integration",
        "x-github-hook-installation-target-id": String(app.id),
        "x-hub-signature-256": `sha256=${createHmac("sha256", app.webhookSecret).update(body).digest("hex")}`,
      },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  }

  routes(): Route[] {
    return [
      // The browser's POST of Probot's form (not REST: GitHub's web UI, so no /api/v3 prefix).
      {
        method: "POST",
        path: "/settings/apps/new",
        handle: ({ body }) => {
          const manifest = new URLSearchParams(typeof body === "string" ? body : "").get("manifest");
          if (!manifest) return { status: 422, body: "manifest missing" };
          const result = this.submitManifest(manifest);
          return result.ok ? { status: 302, headers: { location: result.location }, body: "" } : { status: 422, body: result.problems.join("\n") };
        },
      },
      {
        method: "POST",
        path: "/app-manifests/:code/conversions",
        handle: ({ params }) => this.convert(params.code!),
      },
      {
        method: "POST",
        path: "/app/installations/:installation_id/access_tokens",
        handle: ({ params, headers }) => this.accessToken(Number(params.installation_id), String(headers.authorization ?? "")),
      },
    ];
  }

  private convert(code: string): RouteResponse {
    const entry = this.codes.get(code);
    // GitHub answers 404 for a code that is unknown, used, or older than an hour.
    if (!entry || entry.used || Date.now() - entry.issuedAt > CODE_LIFETIME_MS) {
      return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest" } };
    }
    entry.used = true;
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const id = this.nextAppId++;
    const slug = entry.manifest.name!.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const app: RegisteredApp = {
      id,
      slug,
      manifest: entry.manifest,
      clientId: `Iv23li${randomBytes(7).toString("hex")}`,
      clientSecret: randomBytes(20).toString("hex"),
      webhookSecret: randomBytes(20).toString("hex"),
      pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
      owner: entry.owner,
    };
    this.apps.push(app);
    const now = new Date().toISOString();
    return {
      status: 201,
      body: {
        id,
        slug,
        node_id: `A_kwDO${id}`,
        client_id: app.clientId,
        owner: { login: entry.owner, id: 1, type: "Organization" },
        name: entry.manifest.name,
        description: entry.manifest.description ?? null,
        external_url: entry.manifest.url,
        html_url: `https://github.com/apps/${slug}`,
        created_at: now,
        updated_at: now,
        permissions: entry.manifest.default_permissions ?? {},
        events: entry.manifest.default_events ?? [],
        installations_count: 0,
        client_secret: app.clientSecret,
        webhook_secret: app.webhookSecret,
        pem: app.pem,
      },
    };
  }

  /** GitHub mints an installation token only for a JWT of the installation's own app, signed with its key. */
  private accessToken(installationId: number, authorization: string): RouteResponse {
    const installation = this.installations.get(installationId);
    if (!installation) return { status: 404, body: { message: "Not Found" } };
    const app = this.apps.find((a) => a.id === installation.appId)!;
    const jwt = /^bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const [header, claims, signature] = jwt?.split(".") ?? [];
    const payload = claims ? (JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { iss?: unknown; iat?: number; exp?: number }) : undefined;
    const signed =
      header !== undefined &&
      signature !== undefined &&
      verify("RSA-SHA256", Buffer.from(`${header}.${claims}`), createPublicKey(app.publicKeyPem), Buffer.from(signature, "base64url"));
    const nowS = Math.floor(Date.now() / 1000);
    const fresh = payload?.exp !== undefined && payload.iat !== undefined && payload.exp > nowS && payload.exp - payload.iat <= 600 + 60;
    if (!signed || String(payload?.iss) !== String(app.id) || !fresh) {
      return { status: 401, body: { message: "A JSON web token could not be decoded", documentation_url: "https://docs.github.com/rest" } };
    }
    return {
      status: 201,
      body: {
        // The stand-in's convention for "another app's installation token" (identityOf), so what the app
        // writes is stamped with the registered app, not the fixed test app.
        token: `ghs_app_${app.id}_${app.slug}`,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: app.manifest.default_permissions ?? {},
        repository_selection: "all",
      },
    };
  }
}
