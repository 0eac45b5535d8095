// Data flows one way (docs/architecture.md): target → VMM → probes and
// monitors → runner → results → output, the command line at the edge. The
// rules are .dependency-cruiser.cjs; this runs them on src/ and shows, on a
// small tree made here, that they catch what they are meant to.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { cruise, type ICruiseResult, type IForbiddenRuleType } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../paths.js";

const config = createRequire(import.meta.url)(path.join(PROJECT_ROOT, ".dependency-cruiser.cjs")) as {
  forbidden: IForbiddenRuleType[];
  options: Record<string, unknown>;
};

async function violations(baseDir: string): Promise<string[]> {
  const tsConfig = extractTSConfig(path.join(PROJECT_ROOT, "tsconfig.json"));
  const { output } = await cruise(["src"], { ...config.options, baseDir, ruleSet: { forbidden: config.forbidden }, validate: true }, {}, { tsConfig });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe("the direction data flows in", () => {
  it("holds for every module under src/", async () => {
    expect(await violations(PROJECT_ROOT)).toEqual([]);
  });

  it("is checked: a later stage imported, a value taken by results from performance, a stage imported by the shared vocabulary", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "data-flow-"));
    try {
      const files: Record<string, string> = {
        "src/performance/vmm/types.ts": 'import { probe } from "../probes/probe.js";\nexport const vmm = probe;\n',
        "src/performance/probes/probe.ts": "export const probe = 1;\nexport type Probe = number;\n",
        "src/results/schema.ts": 'import { probe } from "../performance/probes/probe.js";\nimport type { Probe } from "../performance/probes/probe.js";\nexport const p: Probe = probe;\n',
        "src/results/export/table.ts": 'import type { Probe } from "../../performance/probes/probe.js";\nexport const t: Probe = 1;\n',
        "src/vocabulary/words.ts": 'import { probe } from "../performance/probes/probe.js";\nexport const w = probe;\n',
      };
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), text);
      }
      expect((await violations(root)).sort()).toEqual([
        "neutral-stays-neutral: src/vocabulary/words.ts → src/performance/probes/probe.ts",
        "no-vmm-to-later-stage: src/performance/vmm/types.ts → src/performance/probes/probe.ts",
        "results-take-only-types: src/results/schema.ts → src/performance/probes/probe.ts",
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
