/** @type {import("jest").Config} */
const common = {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/support/ts-transform.cjs" },
  moduleNameMapper: {
    "^@kube-codegen/runtime$": "<rootDir>/runtime/src/index.ts",
    "^@kube-codegen/runtime/manager$": "<rootDir>/runtime/src/manager/index.ts",
    "^@kube-codegen/api$": "<rootDir>/api/src/index.ts",
    "^@kube-codegen/api/fake$": "<rootDir>/api/src/fake.ts",
    "^@kube-codegen/runtime/fake$": "<rootDir>/runtime/src/fake/index.ts",
    "^@kube-codegen/runtime/webhook$": "<rootDir>/runtime/src/webhook/index.ts",
    "^@kube-codegen/envtest$": "<rootDir>/envtest/src/index.ts",
    "^@kube-codegen/runtime/validate$": "<rootDir>/runtime/src/validate.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
};

export default {
  // A global option (jest ignores it per project). The e2e tests wait on a real apiserver.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...common, displayName: "golden", testMatch: ["<rootDir>/test/golden/**/*.test.ts"] },
    { ...common, displayName: "corpus", testMatch: ["<rootDir>/test/corpus/**/*.test.ts"] },
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      globalSetup: "<rootDir>/test/envtest/global-setup.ts",
      globalTeardown: "<rootDir>/test/envtest/global-teardown.ts",
    },
  ],
};
