// A user's typed eslint.config.ts, compiled against the published types (dist/) by tests/types/types.test.ts.
import type { ESLint, Linter } from "eslint";
import { defineConfig } from "eslint/config";
import lambdaIam from "eslint-plugin-lambda-iam";

const plugin: ESLint.Plugin = lambdaIam;
const recommended: Linter.Config[] = lambdaIam.configs.recommended;

export default defineConfig([
  ...recommended,
  {
    files: ["**/*.yaml"],
    plugins: { "lambda-iam": plugin },
    language: "lambda-iam/cloudformation",
    rules: { "lambda-iam/no-shared-execution-role": ["warn", { allowedRoles: ["SharedRole"] }] },
  },
  lambdaIam.configs.recommended[0]!,
]);

// Every rule is typed, not just one.
export const ruleNames: Array<keyof typeof lambdaIam.rules> = [
  "event-source-permissions",
  "execution-role-trust",
  "function-config-permissions",
  "invoke-permission-scope",
  "no-ignored-sam-policies",
  "no-shared-execution-role",
  "require-invoke-permission",
  "require-policy-dependency",
  "sdk-call-permissions",
];
