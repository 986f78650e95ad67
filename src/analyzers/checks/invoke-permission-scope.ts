import type { Analysis } from "../analysis.js";
import type { Finding } from "../finding.js";
import type { LambdaPermission } from "../wiring/lambda-permissions.js";

export type PermissionScopeMessageId = "openToEveryone" | "unscopedService" | "s3WithoutAccount" | "publicUrl" | "replacedByResourcePolicy";

export interface PermissionScopeOptions {
  /** Accept function URLs with AuthType NONE (deliberately public endpoints). */
  allowPublicFunctionUrls: boolean;
}

/**
 * Permissions that open a function wider than intended: Principal "*" without any scope, a service
 * principal without SourceArn or SourceAccount (S3: without SourceAccount, as bucket ARNs carry no
 * account), and public function URLs (whose two Principal "*" permissions belong to the URL finding).
 * And permissions that an `AWS::Lambda::ResourcePolicy` of the same function or alias overwrites.
 */
export function findWidePermissions(analysis: Analysis, options: PermissionScopeOptions): Array<Finding<PermissionScopeMessageId>> {
  const findings: Array<Finding<PermissionScopeMessageId>> = [];
  const urls = analysis.wiring.publicUrls;
  for (const url of urls) {
    if (options.allowPublicFunctionUrls) continue;
    findings.push({
      messageId: "publicUrl",
      data: { url: url.name, function: url.fn.logicalId },
      subject: { kind: "url", url: url.name },
      at: url.at,
      related: [],
    });
  }
  for (const permission of analysis.wiring.permissions) {
    if (permission.replacedBy !== undefined && permission.target.kind === "function") {
      const { fn, qualifier } = permission.target;
      findings.push({
        messageId: "replacedByResourcePolicy",
        data: {
          permission: capitalized(permission.name),
          function: qualifier === undefined ? fn.logicalId : `alias ${qualifier} of ${fn.logicalId}`,
          policy: permission.replacedBy,
        },
        at: permission.at,
        related: [],
      });
    }
    // A Deny narrows; a condition we do not model may scope the statement.
    if (permission.effect === "Deny" || permission.otherConditions || permission.forServices) continue;
    const principal = permission.principal;
    const data = { permission: capitalized(permission.name), principal: principal ?? "", ...scopeWords(permission) };
    if (principal === "*") {
      // A function URL's own permissions are scoped by their auth type and reported with the URL.
      if (permission.functionUrlAuthType || permission.invokedViaFunctionUrl) continue;
      if (permission.sourceArn || permission.sourceAccount || permission.principalOrgId || permission.eventSourceToken) continue;
      findings.push({ messageId: "openToEveryone", data, at: permission.at, related: [] });
    } else if (principal === "s3.amazonaws.com") {
      if (!permission.sourceAccount) findings.push({ messageId: "s3WithoutAccount", data, at: permission.at, related: [] });
    } else if (principal !== undefined && /\.amazon(?:aws)?\.com$/u.test(principal)) {
      if (!permission.sourceArn && !permission.sourceAccount && !permission.eventSourceToken) {
        findings.push({ messageId: "unscopedService", data, at: permission.at, related: [] });
      }
    }
  }
  return findings;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How to scope it, in the words of what it is: AddPermission's parameters, or a policy statement's condition keys. */
function scopeWords(permission: LambdaPermission): { scopes: string; sourceScopes: string; accountScope: string } {
  if (permission.resource.type === "AWS::Lambda::ResourcePolicy") {
    return {
      scopes: "an aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID condition",
      sourceScopes: "an aws:SourceArn or aws:SourceAccount condition",
      accountScope: "an aws:SourceAccount condition",
    };
  }
  return {
    scopes: "SourceArn, SourceAccount or PrincipalOrgID",
    sourceScopes: "SourceArn or SourceAccount",
    accountScope: "SourceAccount",
  };
}
