import { readFileSync } from "node:fs";
import { MINIMAL } from "@llm-pool/config/test-support";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./load-config.js";
import { RESTART_ONLY_FIELDS, restartOnlyChanges } from "./restart-only.js";

const CONFIG_DOC = readFileSync(new URL("../../../docs/CONFIG.md", import.meta.url), "utf8");

/** The lines of the docs section that starts at `heading`, up to the next heading of any level. */
function docSection(heading: string): string {
  const start = CONFIG_DOC.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/CONFIG.md has no "${heading}"`);
  const rest = CONFIG_DOC.slice(start + heading.length + 2);
  const end = rest.search(/^#{1,6} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

const parse = (text: string) => parseConfig(text, { baseDir: "/tmp", env: {} });

describe("R-CFG-2: the fields a reload cannot apply are declared once and documented", () => {
  it("docs/CONFIG.md lists exactly the restart-only fields the reload warns about", () => {
    const listed = [...docSection("### Fields that need a restart").matchAll(/`([a-z_]+\.[a-z_]+)`/g)].map((m) => m[1]);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...RESTART_ONLY_FIELDS].sort());
  });

  it("every field a table of docs/CONFIG.md calls 'read at start' is in the list", () => {
    const tables = CONFIG_DOC.split(/^## /m).slice(1);
    const readAtStart: string[] = [];
    for (const table of tables) {
      const section = /^`\[([a-z_]+)\]`/.exec(table)?.[1];
      if (section === undefined) continue;
      for (const row of table.matchAll(/^\| `([a-z_]+)` \|.*read at start.*$/gim)) readAtStart.push(`${section}.${row[1]}`);
    }
    expect(readAtStart.length).toBeGreaterThan(0);
    for (const field of readAtStart) expect(RESTART_ONLY_FIELDS).toContain(field);
  });

  it("every listed field exists in a loaded snapshot", async () => {
    const config = await parse(MINIMAL) as unknown as Record<string, Record<string, unknown>>;
    for (const path of RESTART_ONLY_FIELDS) {
      const [section, field] = path.split(".") as [string, string];
      expect(Object.keys(config[section]!), path).toContain(field);
    }
  });

  it("names the changed restart-only fields in list order, and nothing for reloadable ones", async () => {
    const running = await parse(MINIMAL);
    const edited = [
      "[server]\nmetrics_public = false\nmax_in_flight = 64\n",
      '[cache]\ndefault_ttl_ms = 1000\ndriver = "redis"\nredis_url_env = "LLMPOOL_REDIS_URL"\n',
      MINIMAL.replace("[tenancy]", "[qos]\ndefault_deadline_ms = 900\n\n[tenancy]"),
    ].join("\n");
    const next = await parseConfig(edited, { baseDir: "/tmp", env: { LLMPOOL_REDIS_URL: "redis://127.0.0.1:6379" } });
    expect(restartOnlyChanges(running, next)).toEqual(["server.max_in_flight", "cache.driver", "cache.redis_url_env"]);
    expect(restartOnlyChanges(running, running)).toEqual([]);
  });

  it("sees a change inside [server.tls] as a change of server.tls", async () => {
    const plain = await parse(MINIMAL);
    const withTls = { ...plain, server: { ...plain.server, tls: { cert_file: "/a", key_file: "/b", client_ca_file: null, require_client_cert: false } } };
    const otherCert = { ...withTls, server: { ...withTls.server, tls: { ...withTls.server.tls, cert_file: "/c" } } };
    expect(restartOnlyChanges(plain, withTls)).toEqual(["server.tls"]);
    expect(restartOnlyChanges(withTls, otherCert)).toEqual(["server.tls"]);
  });
});
