// Which way dependencies may point (docs/ARCHITECTURE.md). Checked by
// tools/ci/test/dependency-rules.spec.ts in `npm test`, and by hand with
//   npx depcruise --config .dependency-cruiser.cjs apps libs tools sdk/ts
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "libs-never-import-apps",
      comment: "Libraries are used by the app, never the other way round.",
      severity: "error",
      from: { path: "^libs/" },
      to: { path: "^apps/" },
    },
    {
      name: "core-imports-no-implementation",
      comment:
        "core holds the domain and the interfaces (Provider, Ensemble, caches); strategies, drivers, breakers, security and telemetry implement them and are wired by the app.",
      severity: "error",
      from: { path: "^libs/core/" },
      to: { path: "^libs/(ensemble|providers|qos|security|cache|telemetry|redis)/" },
    },
    {
      name: "libs-speak-no-transport",
      comment: "Only the app's edges know Connect, Hono and HTTP frameworks; libraries throw PoolError.",
      severity: "error",
      from: { path: "^libs/" },
      to: { path: "node_modules/(@connectrpc|hono|@hono)/" },
    },
    {
      name: "tools-not-imported-by-product",
      comment: "The mock engine, the bench and test support are for tests and measurements, not for the product.",
      severity: "error",
      from: { path: "^(libs|apps)/[^/]+/src/", pathNot: "\\.spec\\.ts$" },
      to: { path: "^tools/" },
    },
    {
      name: "test-support-not-imported-by-product",
      comment:
        "A package's test-support entry (libs/x/test-support, imported as @llm-pool/x/test-support) is for specs; nothing under a src/ folder but a spec may import it.",
      severity: "error",
      from: { path: "(^|/)src/", pathNot: "\\.spec\\.ts$" },
      to: { path: "(^|/)test-support/" },
    },
    {
      name: "no-circular",
      comment: "A cycle makes two modules one concept in two files.",
      severity: "error",
      from: { path: "^(libs|apps)/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|gen|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@llm-pool/source", "import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".json"],
    },
  },
};
