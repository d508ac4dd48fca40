// Debian's chromium, headless, driven by playwright-core: never a downloaded browser.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export interface HeadlessChromium {
  /** A persistent context on a fresh profile directory. */
  readonly browser: BrowserContext;
  close(): Promise<void>;
}

const executablePath = process.env.LLMPOOL_CHROMIUM ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), "llm-pool-chromium-"));
  // A fresh --user-data-dir each time: playwright passes it for a persistent context.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1100, height: 900 },
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
