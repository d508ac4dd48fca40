/**
 * What went wrong, in a closed set: the TOML did not parse, a value broke the schema, a name points
 * at nothing, a referenced env var is unset, a referenced file is missing or invalid, or the config
 * file itself could not be read.
 */
export type ConfigIssueKind = "syntax" | "schema" | "reference" | "env" | "file" | "io";

export interface ConfigIssue {
  readonly kind: ConfigIssueKind;
  /** Dotted path in TOML terms (`providers[1].base_url`); "" for the file as a whole. */
  readonly path: string;
  readonly message: string;
  /** 1-based, when the problem could be placed in the source. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * Every problem found in one config file, reported together so an operator fixes them in one pass.
 * Loading never throws anything else for a bad file.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The file as the caller named it, used as the prefix of each formatted line. */
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    super(summary(file, issues));
    this.file = file;
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }

  /** One line per problem: `llm-pool.toml:12:5 providers[0].base_url: must be an http(s) URL`. */
  format(): string {
    return this.issues.map((issue) => formatIssue(this.file, issue)).join("\n");
  }

  /** Wraps anything thrown while loading (e.g. ENOENT) so callers handle a single error type. */
  static from(file: string, reason: unknown): ConfigError {
    if (reason instanceof ConfigError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new ConfigError(file, [{ kind: "io", path: "", message }]);
  }
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  let where = file;
  if (issue.line !== undefined) {
    where += `:${issue.line}`;
    if (issue.column !== undefined) where += `:${issue.column}`;
  }
  return issue.path === "" ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

function summary(file: string, issues: readonly ConfigIssue[]): string {
  const first = issues[0];
  if (first === undefined) return `${file}: invalid config`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `invalid config: ${formatIssue(file, first)}${more}`;
}
