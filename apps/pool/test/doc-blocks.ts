// The doc-block helpers live in @llm-pool/testing, shared with the SDK suites.
export { repoRoot, runBlock, shellBlock, shellBlocks, type BlockRun, type ShellBlock } from "@llm-pool/testing";
