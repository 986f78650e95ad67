import { findWidePermissions } from "../analyzers/checks/invoke-permission-scope.js";
import { createTemplateRule } from "./create-rule.js";

export default createTemplateRule({
  name: "invoke-permission-scope",
  type: "suggestion",
  description:
    "Disallow resource-based permissions that let more callers invoke a function than intended, or that a resource policy of the same function overwrites",
  recommended: true,
  severity: "warn",
  sources: [
    "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
    "https://docs.aws.amazon.com/cli/latest/reference/lambda/put-resource-policy.html",
  ],
  messages: {
    openToEveryone: '{{permission}} lets anyone ("*") invoke the function: scope it with {{scopes}}, or name the principal',
    unscopedService:
      "{{permission}} lets {{principal}} invoke the function on behalf of any account (the confused deputy problem): add {{sourceScopes}}",
    s3WithoutAccount:
      "{{permission}} lets s3.amazonaws.com invoke the function without SourceAccount: bucket ARNs carry no account, so once the bucket is deleted, a bucket of the same name created in another account could invoke it; add {{accountScope}}",
    replacedByResourcePolicy:
      "{{permission}} adds a statement to the resource policy of {{function}}, which resource policy {{policy}} sets as a whole: PutResourcePolicy replaces the policy it finds, statements AddPermission added included, so every later update of {{policy}} drops this statement (on create, it depends on which runs first). Put the statement in {{policy}}",
    publicUrl:
      "{{url}} makes {{function}} callable by anyone on the internet (AuthType NONE); use AuthType AWS_IAM, or allow it deliberately with allowPublicFunctionUrls",
  },
  optionsSchema: {
    type: "object",
    properties: {
      allowPublicFunctionUrls: {
        type: "boolean",
        description: 'Accept function URLs with AuthType NONE (and their Principal "*" permissions) as deliberately public',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { allowPublicFunctionUrls: false },
  analyze: (analysis, options) => findWidePermissions(analysis, options),
});
