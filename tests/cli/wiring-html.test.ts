import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { runCli } from "../../src/cli/main.js";
import type { WiringPicture } from "../../src/analyzers/picture/wiring-picture.js";
import { mermaidChart, templatePictures } from "../../src/cli/wiring-formats.js";
import { exampleFolders, exampleTemplate } from "../examples.js";

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

/** Chromium, launched before the tests of the describe block that calls this and closed after them. */
function launchedBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  }, 60_000);
  afterAll(async () => browser?.close());
  return () => browser!;
}

async function htmlPage(...examples: string[]): Promise<string> {
  let stdout = "";
  await runCli(["--format", "html", ...examples.map((example) => `examples/${example}`)], {
    cwd: root,
    stdout: (text) => (stdout += text),
    stderr: () => {},
  });
  const file = path.join(artifacts, `${examples.join("+").replaceAll("/", "_")}.html`);
  writeFileSync(file, stdout);
  return file;
}

describe.skipIf(!available)("the HTML wiring page in a real browser", () => {
  const browser = launchedBrowser();

  it.each(exampleFolders())(
    "draws %s with its nodes and red edges, beside its findings, with no network",
    { timeout: 60_000 },
    async (example) => {
      // The picture as the CLI draws it, handler code's red edges included.
      let wiring = "";
      await runCli(["--format", "wiring-json", `examples/${example}`], { cwd: root, stdout: (text) => (wiring += text), stderr: () => {} });
      const entry = (JSON.parse(wiring) as Array<{ file: string; picture?: WiringPicture }>).find(
        (picture) => picture.file === path.relative(root, exampleTemplate(example)),
      );
      if (!entry?.picture) throw new Error(`no picture for ${example}`);
      const red = entry.picture.edges.filter((edge) => edge.status === "missing").length;
      let json = "";
      await runCli(["--format", "json", `examples/${example}`], { cwd: root, stdout: (text) => (json += text), stderr: () => {} });
      const linted = JSON.parse(json) as Array<{ filePath: string; messages: unknown[] }>;
      const findings = linted.filter((result) => /template\./u.test(result.filePath)).flatMap((result) => result.messages).length;
      const handlerFindings = linted.filter((result) => !/template\./u.test(result.filePath)).flatMap((result) => result.messages).length;
      const file = await htmlPage(example);
      const page = await browser().newPage({ viewport: { width: 1500, height: 800 } });
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
      expect([...drawn.nodes].sort()).toEqual(entry.picture.nodes.map((node) => node.id).sort());
      // (The data account of the cross-account example declares no function, and so no wiring.)
      expect(drawn.nodes.some((id) => id.startsWith("function:"))).toBe(!example.endsWith("/data"));
      if (!example.endsWith("/data")) expect(drawn.edges).toBeGreaterThan(0);
      // The findings are listed with the graph, each linking to its line; handler code's after the templates.
      expect(await page.locator("section:not(.handler) .findings a").count()).toBe(findings);
      expect(await page.locator("section.handler .findings a").count()).toBe(handlerFindings);
      const screenshot = path.join(artifacts, `${example.replaceAll("/", "_")}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      if (process.env.UPDATE_PICTURES === "1" && example === "invocation") {
        mkdirSync(path.join(root, "docs/images"), { recursive: true });
        await page.screenshot({ path: path.join(root, "docs/images/wiring-invocation.png"), fullPage: true });
      }
      await page.close();
    },
  );
});

describe.skipIf(!available)("the HTML page's filters", () => {
  const browser = launchedBrowser();

  it("show the functions whose name holds the text, and the arrows of one status with what they join", { timeout: 60_000 }, async () => {
    const file = await htmlPage("invocation");
    const page = await browser().newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as { wiring?: unknown[] }).wiring?.length === 1);
    const visible = () =>
      page.evaluate(() => {
        const cy = (
          globalThis as unknown as {
            wiring: Array<{
              nodes(selector: string): { map(f: (n: { data(k: string): string }) => string): string[] };
              edges(selector: string): { length: number };
            }>;
          }
        ).wiring[0]!;
        return {
          functions: cy.nodes('[kind = "function"]:visible').map((node) => node.data("label")),
          edges: cy.edges(":visible").length,
          red: cy.edges(".missing:visible").length,
        };
      });
    expect(await visible()).toEqual({ functions: ["ImageFunction", "ReportFunction"], edges: 8, red: 3 });
    await page.fill("input.search", "report");
    expect(await visible()).toEqual({ functions: ["ReportFunction"], edges: 3, red: 0 });
    await page.fill("input.search", "");
    await page.selectOption("select.status", "missing");
    expect(await visible()).toEqual({ functions: ["ImageFunction"], edges: 3, red: 3 });
    await page.close();
  });
});

describe.skipIf(!available || !existsSync(path.join(root, "../shared/corpus")))("the HTML page of a 17-function template", () => {
  const browser = launchedBrowser();

  it("is legible: labels keep a readable size and no two nodes overlap", { timeout: 60_000 }, async () => {
    const template = path.join(root, "../shared/corpus/cfn-lint-templates/quickstart/cis_benchmark.yaml");
    let stdout = "";
    await runCli(["--no-config-lookup", "--format", "html", template], { cwd: root, stdout: (text) => (stdout += text), stderr: () => {} });
    const file = path.join(artifacts, "cis_benchmark.html");
    writeFileSync(file, stdout);
    const page = await browser().newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as { wiring?: unknown[] }).wiring?.length === 1);
    const drawn = await page.evaluate(() => {
      type Box = { x1: number; y1: number; x2: number; y2: number };
      const cy = (
        globalThis as unknown as {
          wiring: Array<{ zoom(): number; nodes(): Array<{ data(key: string): string; renderedBoundingBox(): Box }> }>;
        }
      ).wiring[0]!;
      const nodes = cy.nodes();
      const boxes = nodes.map((node) => node.renderedBoundingBox());
      let overlaps = 0;
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
        }
      return { functions: nodes.filter((node) => node.data("kind") === "function").length, zoom: cy.zoom(), overlaps };
    });
    await page.screenshot({ path: path.join(artifacts, "cis_benchmark.png"), fullPage: true });
    await page.close();
    expect(drawn.functions).toBe(17);
    // Node labels are drawn at 11 px times the zoom: at least 9 px on screen.
    expect(drawn.zoom * 11).toBeGreaterThanOrEqual(9);
    expect(drawn.overlaps).toBe(0);
  });
});

describe.skipIf(!available)("the HTML page of a hostile tree, clicked", () => {
  const browser = launchedBrowser();

  it(
    "a directory named like a javascript: URL is a relative link to the file: clicking it runs no script",
    { timeout: 60_000 },
    async () => {
      const project = mkdtempSync(path.join(tmpdir(), "lambda-iam-hostile-page-"));
      const directory = path.join(project, "javascript:alert(document.domain)<!--");
      mkdirSync(directory);
      writeFileSync(path.join(directory, "template.yaml"), readFileSync(exampleTemplate("shared-role-sam"), "utf8"));
      let html = "";
      await runCli(["--format", "html", "."], { cwd: project, stdout: (text) => (html += text), stderr: () => {} });
      const file = path.join(project, "report.html");
      writeFileSync(file, html);
      const page = await browser().newPage();
      const dialogs: string[] = [];
      const blocked: string[] = [];
      page.on("dialog", async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
      });
      page.on("console", (message) => (message.text().includes("Content Security Policy") ? blocked.push(message.text()) : undefined));
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => (globalThis as unknown as { wiring?: unknown[] }).wiring?.length === 1);
      const link = page.locator(".findings a").first();
      const href = await link.evaluate((anchor) => (anchor as unknown as { href: string }).href);
      expect(href.startsWith(`${pathToFileURL(project).href}/javascript%3Aalert(document.domain)%3C!--/template.yaml#L`)).toBe(true);
      // The click asks for the file itself (a YAML file, which the browser then downloads), and runs nothing.
      const [request] = await Promise.all([page.waitForEvent("request"), link.click()]);
      expect(request.url()).toBe(href.replace(/#.*$/u, ""));
      expect(dialogs).toEqual([]);
      // The page's own scripts ran under its policy, and nothing was blocked.
      expect(blocked).toEqual([]);
      await page.close();
      rmSync(project, { recursive: true, force: true });
    },
  );
});

describe.skipIf(!available)("the Mermaid charts, rendered by Mermaid itself", () => {
  const browser = launchedBrowser();

  it("renders every example's chart, with an arrow per edge and the missing ones red", { timeout: 120_000 }, async () => {
    const page = await browser().newPage();
    const mermaidScript = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
    const host = path.join(artifacts, "mermaid.html");
    writeFileSync(host, `<!doctype html><meta charset="utf-8"><script src="${pathToFileURL(mermaidScript).href}"></script><body></body>`);
    await page.goto(pathToFileURL(host).href);
    await page.waitForFunction(() => "mermaid" in globalThis);
    for (const example of exampleFolders()) {
      const [entry] = templatePictures([exampleTemplate(example)], root);
      if (!entry || "error" in entry) throw new Error(`no picture for ${example}`);
      const drawn = await page.evaluate(async (text) => {
        const mermaid = (
          globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, text: string): Promise<{ svg: string }> } }
        ).mermaid;
        mermaid.initialize({ startOnLoad: false });
        const { svg } = await mermaid.render(`chart${Math.random().toString(36).slice(2)}`, text);
        const holder = (
          globalThis as unknown as {
            document: {
              createElement(tag: string): {
                innerHTML: string;
                querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null }>;
              };
            };
          }
        ).document.createElement("div");
        holder.innerHTML = svg;
        const links = Array.from(holder.querySelectorAll(".flowchart-link"));
        return { links: links.length, red: links.filter((link) => (link.getAttribute("style") ?? "").includes("#d1242f")).length };
      }, mermaidChart(entry.picture));
      const edges = entry.picture.edges;
      expect({ example, ...drawn }).toEqual({
        example,
        links: edges.length,
        red: edges.filter((edge) => edge.status === "missing").length,
      });
    }
    await page.close();
  });
});
