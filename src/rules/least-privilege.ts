import { findLeastPrivilegeGaps } from "../analyzers/checks/least-privilege.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "least-privilege",
  type: "suggestion",
  description: "Disallow execution role grants that no function running as the role needs, when the functions' needs are known whole",
  // Until its precision is measured at 99% on real repositories, in the `strict` config only (DESIGN.md).
  recommended: false,
  severity: "warn",
  sources: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
  ],
  messages: {
    unusedAction:
      "{{role}} grants {{action}} ({{policy}}), which none of its functions ({{functions}}) needs: their configuration and all of their code are read, and nothing in them needs it",
    unusedTemplate:
      "{{role}} is given SAM policy template {{template}}, which none of its functions ({{functions}}) needs: their configuration and all of their code are read, and nothing in them needs what it grants",
    narrowerTemplate:
      "{{role}} is given SAM policy template {{template}}, but what its functions ({{functions}}) need of it, {{narrower}} grants too, with fewer actions ({{actions}}): their configuration and all of their code are read",
    useTemplate: "Use {{narrower}} instead",
    removeAction: "Remove {{action}}",
    narrowResource: "Grant it only on {{resources}}",
    unusedManagedPolicy:
      "{{role}} is given AWS managed policy {{policy}}, which none of its functions ({{functions}}) needs: their configuration and all of their code are read, and nothing in them needs what it grants",
    widerManagedPolicy:
      "{{role}} is given AWS managed policy {{policy}}, but what its functions ({{functions}}) need of it is only {{needs}}: their configuration and all of their code are read",
    wideResource:
      "{{role}} grants {{actions}} on {{scope}} ({{policy}}), but its functions ({{functions}}) need {{them}} only on {{resources}}: their configuration and all of their code are read",
  },
  hasSuggestions: true,
  optionsSchema: { type: "object", properties: {}, additionalProperties: false },
  defaultOptions: {},
  analyze: (analysis, _options, _workspace, code) => findLeastPrivilegeGaps(analysis, code),
});
