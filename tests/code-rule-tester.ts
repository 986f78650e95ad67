import { RuleTester as EslintRuleTester } from "eslint";
import { afterAll, describe, it } from "vitest";
import { codeParser } from "../src/handlers/code/eslint-parsers.js";

// ESLint's RuleTester, run by vitest, for the code rules (handlers and CDK apps), with the parser the
// CLI lints code with: this plugin's own, which needs no TypeScript.
Object.assign(EslintRuleTester, { afterAll, describe, it, itOnly: it.only });

type Cases = Parameters<EslintRuleTester["run"]>[2];

export class RuleTester extends EslintRuleTester {
  constructor() {
    super({ languageOptions: { parser: codeParser as never, sourceType: "module" } });
  }

  /** Cases without a file name are TypeScript (`file.ts`), as the code rules' tests write them. */
  override run(name: string, rule: Parameters<EslintRuleTester["run"]>[1], cases: Cases): void {
    const named = (test: string | { code: string; filename?: string }) =>
      typeof test === "string" ? { code: test, filename: "file.ts" } : { filename: "file.ts", ...test };
    super.run(name, rule, { valid: cases.valid.map(named), invalid: cases.invalid.map(named) } as Cases);
  }
}
