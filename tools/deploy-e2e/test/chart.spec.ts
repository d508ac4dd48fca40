// R-DEP-1: deploy/charts/llm-pool, linted and rendered with helm (built from the Go module proxy).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkConfig } from "@llm-pool/config";
import { parse as parseToml } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "../src/index.js";
import { cachedTool, runIn } from "./deploy-tools.js";

const CHART = "deploy/charts/llm-pool";

// Minimal shapes of the rendered objects the assertions read.
interface Probe {
  exec?: { command: string[] };
  periodSeconds?: number;
}
interface Container {
  args: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe: Probe;
  resources: { limits: { cpu: string; memory: string }; requests: { cpu: string; memory: string } };
  securityContext: Record<string, unknown>;
  ports: { containerPort: number }[];
  volumeMounts: { name: string; mountPath: string }[];
  lifecycle: { preStop: { exec: { command: string[] } } };
}
interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
  data?: Record<string, string>;
}

let helm: string;
async function render(...args: string[]): Promise<K8sObject[]> {
  const result = await runIn(helm, ["template", "llm-pool", CHART, ...args]);
  if (result.code !== 0) throw new Error(result.stderr);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);
}
/** `--set-file config=FILE` for a TOML text (--set would parse its brackets and commas). */
function configFile(toml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-values-"));
  writeFileSync(join(dir, "llm-pool.toml"), toml);
  return ["--set-file", `config=${join(dir, "llm-pool.toml")}`];
}
const one = (objects: K8sObject[], kind: string) => objects.find((o) => o.kind === kind)!;
const podSpec = (objects: K8sObject[]) =>
  (one(objects, "Deployment").spec as { template: { spec: Record<string, unknown> & { containers: Container[] } } }).template.spec;
const container = (objects: K8sObject[]) => podSpec(objects).containers[0]!;

/** Every value of a key ending in `_env` in a TOML document: the variables the config needs. */
function envNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(envNames);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (k.endsWith("_env") && typeof v === "string" ? [v] : envNames(v)));
  }
  return [];
}

describe("deploy/charts/llm-pool (R-DEP-1)", () => {
  let objects: K8sObject[];
  beforeAll(async () => {
    helm = cachedTool("helm");
    objects = await render();
  });

  it("R-DEP-1: helm lint passes (strict)", async () => {
    const result = await runIn(helm, ["lint", "--strict", CHART]);
    expect(result.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(result.code).toBe(0);
  });

  it("R-DEP-1: renders a Deployment, Service, HPA, ConfigMap, PodDisruptionBudget and ServiceAccount", () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service", "ServiceAccount"].sort(),
    );
    expect(one(objects, "HorizontalPodAutoscaler").spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(one(objects, "PodDisruptionBudget").spec).toMatchObject({ minAvailable: 1 });
  });

  it("R-DEP-1: liveness asks /healthz and readiness /readyz, on the port the config listens on", () => {
    const c = container(objects);
    expect(c.ports[0]!.containerPort).toBe(7443);
    expect(c.livenessProbe.exec!.command).toEqual(["node", "deploy/healthcheck.mjs", "https://127.0.0.1:7443/healthz"]);
    expect(c.startupProbe.exec!.command).toEqual(["node", "deploy/healthcheck.mjs", "https://127.0.0.1:7443/healthz"]);
    expect(c.readinessProbe.exec!.command).toEqual(["node", "deploy/healthcheck.mjs", "https://127.0.0.1:7443/readyz"]);
    // The pool requires a client certificate: the probe shows one.
    expect(c.env.find((e) => e.name === "LLMPOOL_PROBE_CERT")?.value).toBe("/etc/llm-pool/probe/tls.crt");
    expect(c.volumeMounts.map((m) => m.mountPath)).toEqual(expect.arrayContaining(["/etc/llm-pool/tls", "/etc/llm-pool/probe"]));
  });

  it("R-DEP-1: runs as a non-root user with resource requests and limits", () => {
    expect(podSpec(objects).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container(objects).securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(container(objects).resources).toEqual({ limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "500m", memory: "512Mi" } });
  });

  it("R-DEP-1: termination grace = preStop + the pool's shutdown_grace_ms (rounded up) + margin", async () => {
    expect(podSpec(objects).terminationGracePeriodSeconds).toBe(5 + 10 + 5);
    expect(container(objects).lifecycle.preStop.exec.command).toEqual(["sleep", "5"]);
    const config = one(objects, "ConfigMap").data!["llm-pool.toml"]!.replace("shutdown_grace_ms = 10000", "shutdown_grace_ms = 29500");
    expect(podSpec(await render(...configFile(config))).terminationGracePeriodSeconds).toBe(5 + 30 + 5);
  });

  it("R-DEP-1: the ConfigMap holds the TOML, and every variable it names comes from a Secret", () => {
    const toml = one(objects, "ConfigMap").data!["llm-pool.toml"]!;
    const needed = new Set(envNames(parseToml(toml)));
    expect(needed).toEqual(new Set(["LLMPOOL_REDIS_URL", "LLMPOOL_KEY_VVTV_A", "LLMPOOL_KEY_VVTV_B", "LLMPOOL_KEY_OPS_METRICS"]));
    const env = container(objects).env;
    for (const name of needed) expect(env.find((e) => e.name === name)?.valueFrom?.secretKeyRef, name).toBeDefined();
    expect(env.find((e) => e.name === "LLMPOOL_REDIS_URL")?.valueFrom?.secretKeyRef).toEqual({ name: "llm-pool-redis", key: "url" });
    const annotations = (one(objects, "Deployment").spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata
      .annotations;
    expect(annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
  });

  describe("the chart's config is one the pool accepts", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "llm-pool-chart-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("R-DEP-1: llm-pool check-config accepts it (TLS files and variables as the pod has them)", async () => {
      let toml = one(objects, "ConfigMap").data!["llm-pool.toml"]!;
      for (const file of ["tls.crt", "tls.key", "ca.crt"]) {
        writeFileSync(join(dir, file), "placeholder");
        toml = toml.replace(`/etc/llm-pool/tls/${file}`, join(dir, file));
      }
      writeFileSync(join(dir, "llm-pool.toml"), toml);
      const env = { LLMPOOL_REDIS_URL: "redis://127.0.0.1:6379/0", LLMPOOL_KEY_VVTV_A: "a".repeat(64), LLMPOOL_KEY_VVTV_B: "b".repeat(64), LLMPOOL_KEY_OPS_METRICS: "c".repeat(64) };
      const result = await checkConfig(join(dir, "llm-pool.toml"), { env });
      expect(result.output).toMatch(/OK, version [0-9a-f]{16} \(1 provider, 1 engine, 6 of 6 tasks enabled, 2 tenants, auth hmac\)/);
      expect(result.ok).toBe(true);
    });
  });

  it("R-DEP-1: the container starts the image's command", () => {
    const dockerfile = readFileSync(join(REPO_ROOT, "deploy/Dockerfile"), "utf8");
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)![1]!;
    expect(container(objects).args).toEqual(JSON.parse(cmd));
  });

  it("R-DEP-1: without autoscaling the Deployment sets replicas and no HPA is rendered", async () => {
    const fixed = await render("--set", "autoscaling.enabled=false", "--set", "replicaCount=3");
    expect(one(fixed, "Deployment").spec.replicas).toBe(3);
    expect(fixed.some((o) => o.kind === "HorizontalPodAutoscaler")).toBe(false);
    expect(one(objects, "Deployment").spec.replicas).toBeUndefined();
  });

  it("R-DEP-1: a cleartext config gets plain HTTP probes on its port and no certificate volumes", async () => {
    const plain = await render(...configFile('[server]\nlisten = "0.0.0.0:7070"\n'));
    const c = container(plain);
    expect(c.readinessProbe.exec!.command).toEqual(["node", "deploy/healthcheck.mjs", "http://127.0.0.1:7070/readyz"]);
    expect(c.volumeMounts.map((m) => m.name)).toEqual(["config", "tmp"]);
  });

  it("R-DEP-1: a config listening on loopback is refused at render time with the reason", async () => {
    const result = await runIn(helm, ["template", "llm-pool", CHART, ...configFile('[server]\nlisten = "127.0.0.1:7070"\n')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('[server] listen = "127.0.0.1:7070" only answers inside the container');
  });
});
