// R-SDK-4: every command the SDK docs show is run by a test, as written. Each shell block is marked
// `<!-- tested: NAME -->` and run by the suite of its language (it finds the block by that name and
// runs it with bash from the repository root); this spec checks that no block is left unmarked and
// that each name is run by the suite named here, so a command cannot be added without a test.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, shellBlocks } from "@llm-pool/testing";
import { describe, expect, it } from "vitest";

const DOCS = ["docs/SDKs.md", "sdk/ts/llmpool-client/README.md", "sdk/python/README.md", "sdk/rust/llmpool_sdk/README.md"];

/** Block name -> the test file that runs it. */
const RUNNERS: Record<string, string> = {
  "install-typescript": "sdk/ts/llmpool-client/test/package.spec.ts",
  "example-typescript": "sdk/ts/llmpool-client/test/package.spec.ts",
  "install-python": "sdk/python/tests/test_packaging.py",
  "python-dev-setup": "sdk/python/tests/test_packaging.py",
  "examples-python": "sdk/python/tests/test_examples.py",
  "install-rust": "sdk/rust/llmpool_sdk/tests/example_and_package.rs",
  "package-rust": "sdk/rust/llmpool_sdk/tests/example_and_package.rs",
  "example-rust": "sdk/rust/llmpool_sdk/tests/example_and_package.rs",
};

describe("the SDK docs' commands (R-SDK-4)", () => {
  const blocks = DOCS.flatMap((doc) => shellBlocks(doc).map((block) => ({ doc, ...block })));

  it("every shell block is marked `<!-- tested: NAME -->`, once", () => {
    for (const block of blocks) expect(block.name, `${block.doc}:${block.line} has a shell block without a tested marker`).toBeDefined();
    const names = blocks.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("each marked block is run by the test file named for it, and each name here has its block", () => {
    expect(blocks.map((b) => b.name).sort()).toEqual(Object.keys(RUNNERS).sort());
    for (const [name, runner] of Object.entries(RUNNERS)) {
      expect(readFileSync(join(repoRoot, runner), "utf8"), `${runner} does not run the block ${name}`).toContain(`"${name}"`);
    }
  });
});
