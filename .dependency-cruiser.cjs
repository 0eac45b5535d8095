// The direction data flows in (docs/architecture.md), checked on every test
// run (test/architecture/data-flow.test.ts): target → VMM → probes and
// monitors → runner → results → output, with the command line at the edge.
// A module may import from its own stage and earlier ones, never a later one;
// results and outputs take nothing from performance/ or community/ but types;
// the shared vocabulary, statistics and warnings import none of the stages.
/** Each stage's folders, in the order data flows through them. */
const STAGES = [
  { name: "target", path: "^src/performance/(targets/|supported\\.ts$)" },
  { name: "vmm", path: "^src/performance/vmm/" },
  { name: "probes and monitors", path: "^src/performance/(probes|measure|host|load)/" },
  { name: "runner", path: "^src/(performance/(vm|runner|schedule|density|kvm)/|performance/(plan|catalog|run-settings|types)\\.ts$|community/(?!output/))" },
  { name: "results", path: "^src/results/(?!export/|report/)" },
  { name: "output", path: "^src/(results/(export|report)/|community/output/)" },
];
/** Used by every stage and knowing none: names, statistics, warnings, logging, text tables, the clock, private directories, bundled packages. */
const NEUTRAL = "^src/(vocabulary|statistics|warnings|log|output|housekeeping|vendor)/|^src/(clock|files|tool-version)\\.ts$";

const laterThan = (index) => STAGES.slice(index + 1).map((stage) => stage.path);

module.exports = {
  forbidden: [
    ...STAGES.slice(0, -1).map((stage, index) => ({
      name: `no-${stage.name.replace(/ /g, "-")}-to-later-stage`,
      comment: `${stage.name} imports from a later stage; data flows target → VMM → probes and monitors → runner → results → output`,
      severity: "error",
      from: { path: stage.path },
      to: { path: laterThan(index) },
    })),
    {
      name: "results-take-only-types",
      comment: "results and outputs take nothing from performance/ or community/ but types (import type)",
      severity: "error",
      from: { path: "^src/results/" },
      to: { path: "^src/(performance|community)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "neutral-stays-neutral",
      comment: "the shared vocabulary, statistics, warnings, logging, text tables and the clock import none of the stages",
      severity: "error",
      from: { path: NEUTRAL },
      to: { path: "^src/", pathNot: NEUTRAL },
    },
    {
      name: "only-the-edge-imports-the-cli",
      comment: "nothing but the command line imports from src/cli/",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
  ],
  options: {
    includeOnly: "^src/",
    exclude: { path: "\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
  },
};
