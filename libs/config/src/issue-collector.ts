import type { ConfigIssue, ConfigIssueKind } from "./config-error.js";
import { formatPath, type PathSegment } from "./config-path.js";
import type { TomlLocator } from "./toml-locator.js";

/** Gathers problems found after the schema pass, each placed at its line in the source. */
export class IssueCollector {
  private readonly found: ConfigIssue[] = [];

  constructor(private readonly locator: TomlLocator) {}

  add(kind: ConfigIssueKind, path: readonly PathSegment[], message: string): void {
    const position = this.locator.locate(path);
    this.found.push({ kind, path: formatPath(path), message, ...position });
  }

  get issues(): readonly ConfigIssue[] {
    return this.found;
  }

  get size(): number {
    return this.found.length;
  }
}
