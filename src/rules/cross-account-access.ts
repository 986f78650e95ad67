import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { Caller } from "../analyzers/iam/caller-match.js";
import type { Workspace } from "../analyzers/workspace.js";
import { assumeRoleGrant, declaredRoleName, resourcePolicyRefusal, trustAnswer } from "../analyzers/checks/cross-account-access.js";
import type { InputValue } from "../analyzers/checks/sdk-call-permissions.js";
import { inputExpr } from "../analyzers/checks/sdk-call-permissions.js";
import { listNames } from "../analyzers/finding.js";
import { literalText } from "../template/expr.js";
import type { AccountMap } from "../handlers/accounts.js";
import { accountOf, fileWorkspace } from "../handlers/accounts.js";
import { assumedRole } from "../handlers/assumed-roles.js";
import type { HandlerMatch } from "../handlers/matches.js";
import { TEMPLATES_OPTION, functionsRunning, matchesRunning } from "../handlers/matches.js";
import { ProjectFiles } from "../handlers/project-files.js";
import { visibleData } from "../language/visible-text.js";
import type { FoundCall, RoleAssumption } from "../handlers/sdk-usage.js";
import { sdkUsageReader } from "../handlers/sdk-usage.js";
import { NOT_READ_MESSAGES, reportRefusals, ruleDocsUrl } from "./create-rule.js";

type Options = [{ templates?: string[] }];
type MessageIds =
  | "roleChaining"
  | "assumeNotAllowed"
  | "assumeDenied"
  | "notTrusted"
  | "externalIdMismatch"
  | "noResourcePolicy"
  | "refusedByResourcePolicy"
  | "notRead";

/** The longest session of a role assumed with role credentials (role chaining), in seconds. */
const ROLE_CHAINING_LIMIT = 3600;

const rule: TSESLint.RuleModule<MessageIds, Options, { recommended: boolean; severity: "error" | "warn"; sources: string[] }> = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Require a handler's paths into other accounts to work: the roles it assumes admit it, and the resources it calls there allow it",
      url: ruleDocsUrl("cross-account-access"),
      recommended: true,
      severity: "error",
      sources: [
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining",
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-cross-account-access.html",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
        "https://repost.aws/knowledge-center/sqs-queue-access-permissions",
      ],
    },
    messages: {
      roleChaining:
        "DurationSeconds {{seconds}} exceeds the 1-hour session limit of a role assumed with role credentials (role chaining); {{function}} runs this code with its execution role's credentials, so AssumeRole fails. Use 3600 or less",
      assumeNotAllowed:
        "{{function}} (account {{account}}) assumes {{target}}{{source}}, a role of account {{targetAccount}}, but its role {{role}} does not allow sts:AssumeRole on it ({{template}}:{{line}}); across accounts the caller's own policy must allow it as well as the role's trust",
      assumeDenied: "{{function}}'s role {{role}} explicitly denies sts:AssumeRole on {{target}} in {{statement}} ({{template}}:{{line}})",
      notTrusted:
        "Role {{targetRole}} ({{targetTemplate}}:{{targetLine}}, account {{targetAccount}}) does not trust {{function}}'s role {{role}} of account {{account}} ({{template}}:{{line}}): its trust policy admits {{principals}}, so AssumeRole is denied",
      externalIdMismatch:
        "Role {{targetRole}}'s trust requires sts:ExternalId {{expected}} ({{targetTemplate}}:{{targetLine}}), but this call sends {{sent}}, so AssumeRole is denied",
      noResourcePolicy:
        "{{function}} (account {{account}}) calls {{actions}} with its role {{role}} on {{kind}} {{resource}} ({{targetTemplate}}:{{targetLine}}) of account {{targetAccount}}, whose template gives it no {{policyKind}}; across accounts the {{kind}}'s own policy must allow the caller as well as the caller's role, so the call is denied",
      refusedByResourcePolicy:
        "{{function}} (account {{account}}) calls {{actions}} with its role {{role}} on {{kind}} {{resource}} ({{targetTemplate}}:{{targetLine}}) of account {{targetAccount}}, whose {{policyKind}} {{policies}} does not allow it; across accounts the {{kind}}'s own policy must allow the caller as well as the caller's role, so the call is denied",
      ...NOT_READ_MESSAGES,
    },
    schema: [
      {
        type: "object",
        properties: {
          templates: TEMPLATES_OPTION,
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{}],
  },
  create(context) {
    const [options] = context.options;
    const reader = sdkUsageReader(() => undefined);
    const settings = (context.settings as { "lambda-iam"?: { templates?: string[]; accounts?: AccountMap } })["lambda-iam"];
    const accounts = settings?.accounts;
    const reported = new Set<string>();
    const files = new ProjectFiles(context.cwd);

    function report(node: TSESTree.Node, messageId: MessageIds, data: Record<string, string>) {
      const key = `${messageId}:${node.range.join(":")}:${JSON.stringify(data)}`;
      if (reported.has(key)) return;
      reported.add(key);
      context.report({ node, messageId, data: visibleData(data) });
    }

    function checkAssumption(assumption: RoleAssumption, { template, fn }: HandlerMatch) {
      const { analysis } = template;
      const where = {
        function: fn.logicalId,
        template: files.display(template.file),
        line: String(fn.resource.node.loc.start.line),
      };
      const value = assumption.input.get("RoleArn");
      const assumed = assumedRole(template, fn, assumption, accounts, files);
      if (!assumed) return;
      const { arn, parts } = assumed;
      const target = assumed.label;
      const account = accountOf(accounts, files, template.file);
      for (const candidate of fn.candidates) {
        const grant = assumeRoleGrant(analysis, fn, candidate, parts);
        if (grant.outcome === "denied") {
          report(assumption.node, "assumeDenied", { ...where, role: grant.role, target, statement: grant.statement });
          continue;
        }
        // Within one account a trust policy that names the role may suffice alone; across accounts both sides must allow.
        if (!arn || account === undefined || arn.account === account) continue;
        const role = analysis.iam.roleOf(fn, candidate).permissions.role;
        const sides = { ...where, role, account, target, targetAccount: arn.account };
        if (grant.outcome === "not-granted") {
          const source = value?.kind === "env" ? ` (from ${value.name})` : "";
          report(assumption.node, "assumeNotAllowed", { ...sides, source });
          continue;
        }
        const caller: Caller = {
          account,
          ...declaredRoleName(analysis, candidate),
          externalId: externalIdOf(fn, assumption.input.get("ExternalId")),
        };
        if (assumed.declared) {
          const { template: other, role: targetRole } = assumed.declared;
          const answer = trustAnswer(targetRole, arn.account, caller);
          const theirs = {
            targetRole: targetRole.logicalId,
            targetTemplate: files.display(other.file),
            targetLine: String(targetRole.node.loc.start.line),
          };
          if (answer.outcome === "not-trusted") {
            report(assumption.node, "notTrusted", { ...sides, ...theirs, principals: listNames(answer.principals) || "no principal" });
          } else if (answer.outcome === "external-id") {
            const sent = typeof caller.externalId === "object" ? `"${caller.externalId.text}"` : "no ExternalId";
            report(assumption.node, "externalIdMismatch", {
              ...theirs,
              expected: answer.expected.map((text) => `"${text}"`).join(" or "),
              sent,
            });
          }
        }
      }

      function externalIdOf(lambda: HandlerMatch["fn"], external: InputValue | undefined): Caller["externalId"] {
        if (external === undefined) return "none";
        const text = literalText(inputExpr(lambda, external)?.expr);
        return text === undefined ? "unknown" : { text };
      }
    }

    /** A call the execution role signs on a resource of another account whose policy there refuses it. */
    const workspaces = new Map<string, Workspace>();
    function checkCall({ node, call }: FoundCall, { template, fn }: HandlerMatch) {
      let workspace = workspaces.get(template.file);
      if (!workspace) {
        workspace = fileWorkspace(accounts, files, template.file);
        workspaces.set(template.file, workspace);
      }
      for (const candidate of fn.candidates) {
        const refusal = resourcePolicyRefusal(template.analysis, fn, candidate, call, workspace);
        if (!refusal) continue;
        const { resource, actions } = refusal;
        const { template: other, resource: declared } = resource.declared;
        // A policy the resource holds itself is shown by where it is written, a policy resource by its name.
        const policies = resource.policies.map(({ template: holder, resource: policy, document }) =>
          policy === declared
            ? `at ${holder.file}:${(document ?? policy).node.loc.start.line}`
            : `${policy.logicalId} (${holder.file}:${policy.node.loc.start.line})`,
        );
        report(node, policies.length === 0 ? "noResourcePolicy" : "refusedByResourcePolicy", {
          function: fn.logicalId,
          account: workspace.account!,
          actions: listNames(actions),
          role: template.analysis.iam.roleOf(fn, candidate).permissions.role,
          kind: resource.label,
          resource: declared.logicalId,
          targetTemplate: other.file,
          targetLine: String(declared.node.loc.start.line),
          targetAccount: resource.account,
          policyKind: resource.policyLabel,
          policies: listNames(policies),
        });
      }
    }

    return {
      ...reader.listeners,
      "Program:exit"() {
        // An AssumeRole, or a call, signed with other credentials is no concern of the execution role.
        const usage = reader.usage();
        const assumptions = usage.assumptions.filter((assumption) => assumption.credentials === "execution-role");
        const calls = usage.calls.filter((call) => call.credentials === "execution-role");
        if (assumptions.length === 0 && calls.length === 0) return;
        const { matches } = functionsRunning(context.filename, options.templates ?? settings?.templates, files);
        reportRefusals(context, files.refusals);
        if (matches.length === 0) return;
        for (const call of calls) {
          for (const match of matchesRunning(matches, call.owner)) checkCall(call, match);
        }
        for (const assumption of assumptions) {
          const duration = assumption.input.get("DurationSeconds");
          const running = matchesRunning(matches, assumption.owner);
          if (running.length === 0) continue;
          if (duration?.kind === "literal" && /^\d+$/u.test(duration.text) && Number(duration.text) > ROLE_CHAINING_LIMIT) {
            report(assumption.node, "roleChaining", { seconds: duration.text, function: running[0]!.fn.logicalId });
          }
          for (const match of running) checkAssumption(assumption, match);
        }
        reportRefusals(context, files.refusals);
      },
    };
  },
};

export default rule;
