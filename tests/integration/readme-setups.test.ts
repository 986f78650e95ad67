import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(path.join(root, "README.md"), "utf8");

/** Every `eslint.config.js` the README shows (a ```js block that imports the plugin), under its heading. */
function configBlocks(): Array<{ heading: string; code: string }> {
  const blocks: Array<{ heading: string; code: string }> = [];
  let heading = "";
  for (const [, title, code] of readme.matchAll(/^#{2,3} (.+)$|^```js\n([\s\S]*?)^```$/gmu)) {
    if (title) heading = title;
    else if (code?.includes('from "eslint-plugin-lambda-iam"') && code.includes("export default")) {
      blocks.push({ heading: `${heading} #${blocks.filter((block) => block.heading.startsWith(heading)).length + 1}`, code });
    }
  }
  return blocks;
}

// The project lives inside this repository: `eslint-plugin-lambda-iam` is linked in its node_modules, as
// npm would install it, and the other plugins resolve to this repository's dev dependencies.
const project = mkdtempSync(path.join(root, ".readme-project-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));
const template = path.join(root, "examples/shared-role-sam/template.yaml");
for (const file of ["template.yaml", "infra/template.yaml"]) {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  copyFileSync(template, path.join(project, file));
}
mkdirSync(path.join(project, "node_modules"));
symlinkSync(root, path.join(project, "node_modules", "eslint-plugin-lambda-iam"));
// What else a real project has beside its templates: a package.json, a tsconfig.json with comments and
// trailing commas, a GitHub workflow; `eslint .` lints them all.
writeFileSync(path.join(project, "package.json"), '{ "name": "orders", "type": "module", "private": true }\n');
writeFileSync(path.join(project, "tsconfig.json"), '{\n  // the app\'s compiler options\n  "compilerOptions": { "strict": true, },\n}\n');
mkdirSync(path.join(project, ".github/workflows"), { recursive: true });
writeFileSync(
  path.join(project, ".github/workflows/ci.yml"),
  "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
);

describe("every ESLint setup the README shows, copied as it is into eslint.config.js", () => {
  const blocks = configBlocks();

  it("covers each setup: ESLint alone, typescript-eslint, @eslint/js, eslint-plugin-yml, @eslint/json, accounts", () => {
    const code = blocks.map((block) => block.code).join("\n");
    for (const name of ["typescript-eslint", "@eslint/js", "eslint-plugin-yml", "@eslint/json", "accounts"]) expect(code).toContain(name);
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  it.each(blocks.map((block) => [block.heading, block.code]))(
    "%s: lints the templates, reports the shared role",
    async (_heading, code) => {
      const configFile = path.join(project, `eslint.config.${blocks.findIndex((block) => block.code === code)}.js`);
      writeFileSync(configFile, code);
      const eslint = new ESLint({ cwd: project, overrideConfigFile: configFile, warnIgnored: false });
      const results = await eslint.lintFiles(["."]);
      const found = results.flatMap((result) =>
        result.messages.map((message) => `${path.relative(project, result.filePath)}:${message.line} ${message.ruleId ?? message.message}`),
      );
      expect(found.filter((finding) => !finding.includes("lambda-iam/") && !finding.includes(" yml/"))).toEqual([]);
      expect(found).toContain("infra/template.yaml:28 lambda-iam/no-shared-execution-role");
    },
  );
});
