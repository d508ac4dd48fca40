// Hosts mock engines in a child process, so the live bench's engines and its pool side run on separate cores
// and one's event loop never delays the other's timers. Argument: a JSON array of mock-engine scenarios.
// Prints a JSON array of their URLs on one line, then serves until stdin closes (the parent ends or dies).
import { startMockEngine, type Scenario } from "@llm-pool/mock-engine";

const scenarios = JSON.parse(process.argv[2] ?? "[]") as Scenario[];
const engines = await Promise.all(scenarios.map((scenario) => startMockEngine({ scenario })));
process.stdout.write(`${JSON.stringify(engines.map((e) => e.url))}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void Promise.all(engines.map((e) => e.close())).then(() => process.exit(0));
});
