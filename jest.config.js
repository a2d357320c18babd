/** Jest runs the TypeScript sources as ESM (Probot 14 and @actions/* are ESM-only). */
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup/no-network.ts"],
  testTimeout: 30000,
};
