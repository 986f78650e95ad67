// Prints the findings of all rules over ../shared/corpus/serverless-patterns as the Markdown table of
// docs/real-world.md, with the reason each kind of claim was checked against the template. Verdicts
// are written by a person after reading the template: this only lays out the rows.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTemplateEslint } from "../dist/cli/main.js";
import { discoverTemplates } from "../dist/cli/discover.js";

const patterns = fileURLToPath(new URL("../../shared/corpus/serverless-patterns", import.meta.url));
const REASONS = {
  "no-shared-execution-role": "the functions' Role values resolve to the same in-template role",
  "function-config-permissions": "no statement of the role (inline, managed, attached) grants the actions; the role has no unknown sources",
  "no-ignored-sam-policies": "the function sets both Role and Policies",
  "invoke-permission-scope:unscopedService": "the permission has a service principal and neither SourceArn nor SourceAccount",
  "invoke-permission-scope:publicUrl": "FunctionUrlConfig/AuthType is NONE",
  "invoke-permission-scope:openToEveryone": "Principal * with no SourceArn, SourceAccount or PrincipalOrgID",
  "invoke-permission-scope:s3WithoutAccount": "s3.amazonaws.com without SourceAccount",
};
const files = discoverTemplates([patterns], patterns);
const results = await createTemplateEslint(patterns).lintFiles(files);
for (const result of results) {
  for (const message of result.messages) {
    if (!message.ruleId) continue;
    const rule = message.ruleId.replace("lambda-iam/", "");
    const reason = REASONS[`${rule}:${message.messageId}`] ?? REASONS[rule] ?? "";
    console.log(
      `| ${path.basename(result.filePath)}:${message.line} | ${rule} | ${message.message.replace(/\|/gu, "\\|")} | ? | ${reason} |`,
    );
  }
}
