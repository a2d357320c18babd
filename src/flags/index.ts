// One place that turns a flag config (`rollout.flag`, or the Action's `flag` input) into its driver:
// tokens are read from the environment variable the config names and masked before any call.
import { ENV_REFERENCE, type FlagConfig } from "../core/config/schema.js";
import { FlagDriverError, type FlagDriver, type FlagProvider } from "../core/flags/driver.js";
import { DEFAULT_STICKINESS } from "../core/flags/stage-target.js";
import { flagdDriver } from "./flagd.js";
import { launchDarklyDriver } from "./launchdarkly.js";
import { unleashDriver } from "./unleash.js";

export interface FlagDriverDeps {
  env: Readonly<Record<string, string | undefined>>;
  /** Masks the token in every later log line (the Action's `core.setSecret`). */
  setSecret(secret: string): void;
  fetch?: typeof fetch;
}

type Build<P extends FlagProvider> = (config: Extract<FlagConfig, { provider: P }>, deps: FlagDriverDeps & { token: () => string }) => FlagDriver;

/** One line per provider; the type makes every provider of the config schema have one. */
const builders: { [P in FlagProvider]: Build<P> } = {
  flagd: (c) => flagdDriver({ path: c.path, key: c.key, onVariant: c["on-variant"], offVariant: c["off-variant"] }),
  launchdarkly: (c, d) =>
    launchDarklyDriver({ url: c.url, project: c.project, key: c.key, environment: c.environment, token: d.token(), contextKind: c["context-kind"], ...(d.fetch ? { fetch: d.fetch } : {}) }),
  unleash: (c, d) => unleashDriver({ url: c.url, project: c.project, key: c.key, environment: c.environment, token: d.token(), ...(d.fetch ? { fetch: d.fetch } : {}) }),
};

export function createFlagDriver(config: FlagConfig, deps: FlagDriverDeps): FlagDriver {
  const build = builders[config.provider] as Build<typeof config.provider>;
  const token = () => {
    const name = "token" in config ? ENV_REFERENCE.exec(config.token)?.[1] : undefined;
    const value = name ? deps.env[name]?.trim() : undefined;
    if (!name || !value) {
      throw new FlagDriverError(config.provider, config.key, `the token variable ${name ?? "(none)"} is empty or not set: add it to the step's env from a secret, e.g. \`${name ?? "TOKEN"}: \${{ secrets.${name ?? "TOKEN"} }}\``);
    }
    deps.setSecret(value);
    return value;
  };
  return build(config as never, { ...deps, token });
}

/** The context attribute the percent is bucketed by: the config's, else the provider's own default. */
export function flagStickiness(config: FlagConfig): string {
  return config.stickiness ?? DEFAULT_STICKINESS[config.provider];
}
