import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");

/**
 * Libraries whose surface is not chosen by hand: @llm-pool/contract re-exports the code generated from
 * the proto, whose every message is part of the contract.
 */
const GENERATED_SURFACE = new Set(["@llm-pool/contract"]);

interface Library {
  readonly name: string;
  readonly dir: string;
  readonly index: string;
}

function libraries(): Library[] {
  const dirs = execFileSync("git", ["ls-files", "libs/*/package.json"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  return dirs
    .map((file) => {
      const dir = file.slice(0, -"/package.json".length);
      const name = (JSON.parse(readFileSync(join(root, file), "utf8")) as { name: string }).name;
      return { name, dir, index: join(dir, "src/index.ts") };
    })
    .filter((lib) => existsSync(join(root, lib.index)) && !GENERATED_SURFACE.has(lib.name));
}

/** Every name an index.ts exports, `export *` and `export type *` followed. */
function exportedNames(indexFiles: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    customConditions: ["@llm-pool/source"],
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const program = ts.createProgram(indexFiles.map((f) => join(root, f)), options);
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const file of indexFiles) {
    const source = program.getSourceFile(join(root, file));
    const symbol = source && checker.getSymbolAtLocation(source);
    names.set(file, symbol ? checker.getExportsOfModule(symbol).map((s) => s.getName()).sort() : []);
  }
  return names;
}

/** One file's imports from `@llm-pool/…` entries: the names it takes, "*" for a namespace import or `export *`. */
interface Taken {
  readonly file: string;
  readonly specifier: string;
  readonly name: string;
}

function importsOf(file: string): Taken[] {
  const text = readFileSync(join(root, file), "utf8");
  if (!text.includes("@llm-pool/")) return [];
  const taken: Taken[] = [];
  const note = (specifier: string, name: string) => {
    if (specifier.startsWith("@llm-pool/")) taken.push({ file, specifier, name });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const specifier = node.moduleSpecifier.text;
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) note(specifier, "*");
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) note(specifier, (e.propertyName ?? e.name).text);
      if (node.importClause?.name) note(specifier, "default");
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const specifier = node.moduleSpecifier.text;
      if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        for (const e of node.exportClause.elements) note(specifier, (e.propertyName ?? e.name).text);
      } else {
        note(specifier, "*");
      }
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) note(arg.text, "*");
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false));
  return taken;
}

describe("each library's index.ts exports what other packages use", () => {
  it("no libs/*/src/index.ts exports a name that no other package (apps, tools, sdk, other libraries, their tests) imports", () => {
    const libs = libraries();
    const all = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.mts", "*.mjs", "*.js"], { cwd: root, encoding: "utf8" })
      .split("\0")
      .filter((f) => f !== "" && !f.includes("/gen/") && existsSync(join(root, f)));
    const exported = exportedNames(libs.map((lib) => lib.index));
    const taken = all.flatMap(importsOf);
    const unused: string[] = [];
    let total = 0;
    for (const lib of libs) {
      const names = exported.get(lib.index) ?? [];
      total += names.length;
      // Other packages only: the library's own files (specs, test support) do not keep a name public.
      const used = new Set(taken.filter((t) => t.specifier === lib.name && !t.file.startsWith(`${lib.dir}/`)).map((t) => t.name));
      if (used.has("*")) continue;
      for (const name of names) if (!used.has(name)) unused.push(`${lib.name}: ${name}`);
    }
    expect(total).toBeGreaterThan(50);
    expect(unused).toEqual([]);
  }, 120_000);
});
