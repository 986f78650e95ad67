import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { runCli } from "../../src/cli/main.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** Debian's Chromium, which .ci/run installs; the test says so and is skipped where it is missing. */
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(executablePath);
if (!available)
  console.warn(
    `The HTML page's browser test is skipped: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );

/** Screenshots go here for CI to keep; with UPDATE_PICTURES=1 the README's picture is rewritten too. */
const artifacts = process.env.TEST_ARTIFACTS ?? mkdtempSync(path.join(tmpdir(), "lambda-iam-wiring-"));

async function htmlPage(...examples: string[]): Promise<string> {
  let stdout = "";
  await runCli(["--format", "html", ...examples.map((example) => `examples/${example}`)], {
    cwd: root,
    stdout: (text) => (stdout += text),
    stderr: () => {},
  });
  const file = path.join(artifacts, `${examples.join("+")}.html`);
  writeFileSync(file, stdout);
  return file;
}

describe.skipIf(!available)("the HTML wiring page in a real browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  }, 60_000);
  afterAll(async () => browser?.close());

  it.each([
    ["invocation", 3, 5],
    ["shared-role-sam", 2, 2],
    ["one-role-per-function", 0, 0],
  ])(
    "draws %s with its nodes and %d red edges, beside its %d findings, with no network",
    { timeout: 60_000 },
    async (example, red, findings) => {
      const file = await htmlPage(example);
      const page = await browser.newPage({ viewport: { width: 1500, height: 800 } });
      const requests: string[] = [];
      page.on("request", (request) => (request.url().startsWith("file:") ? undefined : requests.push(request.url())));
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => (globalThis as unknown as { wiring?: unknown[] }).wiring?.length === 1);
      const drawn = await page.evaluate(() => {
        const cy = (
          globalThis as unknown as {
            wiring: Array<{
              nodes(): { length: number; map(f: (n: { data(k: string): string }) => string): string[] };
              edges(s?: string): { length: number };
            }>;
          }
        ).wiring[0]!;
        return { nodes: cy.nodes().map((node) => node.data("id")), edges: cy.edges().length, red: cy.edges(".missing").length };
      });
      expect(requests).toEqual([]);
      expect(drawn.red).toBe(red);
      expect(drawn.nodes.some((id) => id.startsWith("function:"))).toBe(true);
      expect(drawn.edges).toBeGreaterThan(0);
      // The findings are listed beside the graph, each linking to its line.
      expect(await page.locator(".findings a").count()).toBe(findings);
      const screenshot = path.join(artifacts, `${example}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      if (process.env.UPDATE_PICTURES === "1" && example === "invocation") {
        mkdirSync(path.join(root, "docs/images"), { recursive: true });
        await page.screenshot({ path: path.join(root, "docs/images/wiring-invocation.png"), fullPage: true });
      }
      await page.close();
    },
  );
});
