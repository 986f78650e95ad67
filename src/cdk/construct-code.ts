import type { Variable } from "@typescript-eslint/scope-manager";
import type { TSESTree } from "@typescript-eslint/types";
import type { Bindings } from "../handlers/code/bindings.js";
import type { CodeListeners } from "../handlers/code/traverse.js";

/**
 * Reads which AWS CDK classes a file's names stand for, as ESLint walks its imports:
 * `import * as lambda from "aws-cdk-lib/aws-lambda"`, `import { aws_iam as iam } from "aws-cdk-lib"`,
 * `import { Function } from "aws-cdk-lib/aws-lambda"`, `import * as cdk from "aws-cdk-lib"`. A class is
 * named by its module and name: `aws-lambda.Function`, `aws-iam.Role`, `core.Fn`.
 */
export function cdkNames(): { listeners: CodeListeners; nameOf(node: TSESTree.Node | null | undefined): string | undefined } {
  /** Local name -> a module (namespace imports) or a module's member. */
  const namespaces = new Map<string, string>();
  const members = new Map<string, string>();

  const listeners: CodeListeners = {
    ImportDeclaration(node) {
      const module = cdkModule(node.source.value);
      if (!module) return;
      for (const specifier of node.specifiers) {
        if (specifier.type !== "ImportSpecifier") {
          namespaces.set(specifier.local.name, module);
          continue;
        }
        const imported = specifier.imported.type === "Identifier" ? specifier.imported.name : specifier.imported.value;
        // import { aws_lambda as lambda } from "aws-cdk-lib"
        if (module === "core" && imported.startsWith("aws_")) namespaces.set(specifier.local.name, imported.replaceAll("_", "-"));
        else members.set(specifier.local.name, `${module}.${imported}`);
      }
    },
  };

  function nameOf(node: TSESTree.Node | null | undefined): string | undefined {
    if (!node) return undefined;
    if (node.type === "Identifier") return members.get(node.name);
    if (node.type !== "MemberExpression" || node.computed || node.property.type !== "Identifier") return undefined;
    const property = node.property.name;
    if (node.object.type === "Identifier" && namespaces.has(node.object.name)) {
      const module = namespaces.get(node.object.name)!;
      // cdk.aws_lambda is a module of the namespace import of aws-cdk-lib itself.
      return module === "core" && property.startsWith("aws_") ? property.replaceAll("_", "-") : `${module}.${property}`;
    }
    // cdk.aws_lambda.Function, lambda.Function.fromFunctionArn
    const object = nameOf(node.object);
    return object ? `${object}.${property}` : undefined;
  }

  return { listeners, nameOf };
}

/** `aws-cdk-lib` -> `core`, `aws-cdk-lib/aws-lambda` -> `aws-lambda`; other modules -> undefined. */
function cdkModule(source: string): string | undefined {
  if (source === "aws-cdk-lib") return "core";
  const match = /^aws-cdk-lib\/([a-z0-9-]+)$/u.exec(source);
  return match ? match[1] : undefined;
}

/** The CDK classes whose props take the function's execution role as `role`. */
export const FUNCTION_CLASSES = new Set([
  "aws-lambda.Function",
  "aws-lambda.DockerImageFunction",
  "aws-lambda.SingletonFunction",
  "aws-lambda-nodejs.NodejsFunction",
]);

/** The `const` a name refers to, and the value it is initialised with; undefined for any other binding. */
export function constantOf(
  bindings: Bindings,
  identifier: TSESTree.Identifier,
): { variable: Variable; init: TSESTree.Expression; declarator: TSESTree.VariableDeclarator } | undefined {
  const variable = bindings.variableOf(identifier);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!variable || definition?.node.type !== "VariableDeclarator" || definition.parent?.type !== "VariableDeclaration") return undefined;
  if (definition.parent.kind !== "const" || !definition.node.init || definition.node.id.type !== "Identifier") return undefined;
  return { variable, init: definition.node.init, declarator: definition.node };
}

/** A construct's id as written (`new lambda.Function(this, "Worker", ...)`), or a placeholder. */
export function constructId(node: TSESTree.NewExpression | TSESTree.CallExpression): string {
  const id = node.arguments[1];
  return id?.type === "Literal" && typeof id.value === "string" ? id.value : "(a construct)";
}
