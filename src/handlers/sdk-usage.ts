import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { InputValue, SdkCall } from "../analyzers/checks/sdk-call-permissions.js";
import { actionsOf, isKnownCommand, isSdkPackage } from "../analyzers/checks/sdk-call-permissions.js";
import { propertyName, propertyOf } from "./object-literals.js";

/**
 * Whose credentials sign a call: the execution role (a client built without `credentials` uses the
 * SDK's default chain, which in Lambda reads the execution role's session from the environment),
 * other credentials (a client given `credentials`, such as an assumed role's), or credentials this file
 * does not show.
 */
export type CallCredentials = "execution-role" | "other" | "unknown";

/** An AWS SDK v3 call in handler code, with the credentials that sign it. */
export interface FoundCall {
  node: TSESTree.Node;
  call: SdkCall;
  credentials: CallCredentials;
  /** The top-level function it is written in (`handler` of `export async function handler`), if one. */
  owner: string | undefined;
  /** The role assumption whose credentials sign it, when the file shows which one. */
  assumption?: RoleAssumption;
}

/** An `AssumeRoleCommand` or a `fromTemporaryCredentials(...)`: the code assumes a role. */
export interface RoleAssumption {
  node: TSESTree.Node;
  /** `RoleArn`, `DurationSeconds`, `ExternalId`, ... as the code writes them. */
  input: Map<string, InputValue>;
  /** The credentials that call AssumeRole. */
  credentials: CallCredentials;
  owner: string | undefined;
}

export interface SdkUsage {
  calls: FoundCall[];
  assumptions: RoleAssumption[];
}

/** The package whose `fromTemporaryCredentials` sends an `AssumeRoleCommand` with its `params`. */
const CREDENTIAL_PROVIDERS = "@aws-sdk/credential-providers";

/**
 * Reads a handler file's AWS SDK v3 usage as ESLint walks it: the commands it sends (imported
 * commands, paginators, lib-storage's `Upload`, aggregated clients' methods), who signs each one, and
 * the roles it assumes. `onUnmapped` hears of each command whose IAM actions are not known.
 */
export function sdkUsageReader(onUnmapped: (node: TSESTree.Node, packageName: string, command: string) => void): {
  listeners: TSESLint.RuleListener;
  usage(): SdkUsage;
} {
  const imports = new Map<string, { packageName: string; name: string }>();
  const namespaces = new Map<string, string>();
  const aggregatedClients = new Map<string, string>();
  const clients = new Map<string, TSESTree.Node>();
  const configObjects = new Map<string, TSESTree.ObjectExpression>();
  const senders = new Map<string, TSESTree.Node[]>();
  const environmentConstants = new Map<string, string>();
  const commands: Array<{ node: TSESTree.Node; call: SdkCall; sender: () => TSESTree.Node | undefined | "none" }> = [];
  const temporaryCredentials: TSESTree.CallExpression[] = [];
  let followsOtherCredentials = false;

  function importedName(callee: TSESTree.Node): { packageName: string; name: string } | undefined {
    if (callee.type === "Identifier") return imports.get(callee.name);
    if (callee.type === "MemberExpression" && callee.object.type === "Identifier" && callee.property.type === "Identifier") {
      const packageName = namespaces.get(callee.object.name);
      return packageName ? { packageName, name: callee.property.name } : undefined;
    }
    return undefined;
  }

  function inputOf(argument: TSESTree.Node | undefined): Map<string, InputValue> {
    const input = new Map<string, InputValue>();
    if (argument?.type !== "ObjectExpression") return input;
    for (const property of argument.properties) {
      if (property.type === "Property" && property.key.type === "Identifier") input.set(property.key.name, valueOf(property.value));
    }
    return input;
  }

  function valueOf(written: TSESTree.Node): InputValue {
    // `process.env.ROLE_ARN!` and `... as string` are the same value to the SDK.
    let node = written;
    while (node.type === "TSNonNullExpression" || node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression")
      node = node.expression;
    if (node.type === "Literal" && (typeof node.value === "string" || typeof node.value === "number"))
      return { kind: "literal", text: String(node.value) };
    const environment = environmentName(node);
    if (environment) return { kind: "env", name: environment };
    if (node.type === "Identifier" && environmentConstants.has(node.name))
      return { kind: "env", name: environmentConstants.get(node.name)! };
    return { kind: "unknown" };
  }

  /** Who signs what a client built from this configuration sends. */
  function credentialsOfConfig(config: TSESTree.Node | undefined): CallCredentials {
    if (config === undefined) return "execution-role";
    const object = config.type === "Identifier" ? configObjects.get(config.name) : config;
    if (object?.type !== "ObjectExpression") return "unknown";
    for (const property of object.properties) {
      if (property.type === "SpreadElement") return "unknown";
      if (propertyName(property) === "credentials") return "other";
    }
    return "execution-role";
  }

  /** The configuration a client expression is built with: `s3`, `new S3Client({...})`, `DynamoDBDocumentClient.from(base)`. */
  function configOfClient(client: TSESTree.Node, depth = 0): { config: TSESTree.Node | undefined } | "unresolved" {
    if (depth > 8) return "unresolved";
    if (client.type === "Identifier") {
      const built = clients.get(client.name);
      return built ? configOfClient(built, depth + 1) : "unresolved";
    }
    if (client.type === "NewExpression" && importedName(client.callee)) return { config: client.arguments[0] };
    if (
      client.type === "CallExpression" &&
      client.callee.type === "MemberExpression" &&
      client.callee.property.type === "Identifier" &&
      client.callee.property.name === "from" &&
      importedName(client.callee.object) &&
      client.arguments[0]
    ) {
      return configOfClient(client.arguments[0], depth + 1);
    }
    return "unresolved";
  }

  /**
   * The role assumption whose credentials a configuration passes: `credentials: fromTemporaryCredentials(...)`,
   * or values read from the result of an `AssumeRoleCommand` (`Credentials.AccessKeyId`, ...).
   */
  function assumptionOfConfig(config: TSESTree.Node | undefined, assumptions: RoleAssumption[]): RoleAssumption | undefined {
    const object = config?.type === "Identifier" ? configObjects.get(config.name) : config;
    const value = propertyOf(object, "credentials")?.value;
    if (!value) return undefined;
    const direct = assumptions.find((assumption) => assumption.node === value);
    if (direct) return direct;
    const names = identifiersIn(value);
    const linked = assumptions.filter((assumption) => resultNames(assumption.node).some((name) => names.has(name)));
    return linked.length === 1 ? linked[0] : undefined;
  }

  /** How the client that sends a command is built, when this file shows it. */
  function builtClient(sender: TSESTree.Node | undefined | "none"): { config: TSESTree.Node | undefined } | "unresolved" {
    return sender === "none" || sender === undefined ? "unresolved" : configOfClient(sender);
  }

  function credentialsOf(built: { config: TSESTree.Node | undefined } | "unresolved"): CallCredentials {
    // A command whose client this file does not show is sent with the execution role unless the file
    // handles other credentials, which the client may have been given elsewhere.
    if (built === "unresolved") return followsOtherCredentials ? "unknown" : "execution-role";
    return credentialsOfConfig(built.config);
  }

  function record(
    node: TSESTree.Node,
    packageName: string,
    command: string,
    argument: TSESTree.Node | undefined,
    sender: () => TSESTree.Node | undefined | "none",
  ) {
    if (!actionsOf({ packageName, command })) {
      if (!isKnownCommand(packageName, command)) onUnmapped(node, packageName, command);
      return;
    }
    commands.push({ node, call: { packageName, command, input: inputOf(argument) }, sender });
  }

  /** The client that sends a command built here: `client.send(new XCommand())`, or `const c = new XCommand(); client.send(c)`. */
  function senderOfCommand(node: TSESTree.NewExpression): TSESTree.Node | undefined | "none" {
    const parent = node.parent;
    if (parent.type === "CallExpression" && parent.arguments[0] === node && isSendCall(parent)) return parent.callee.object;
    if (parent.type === "VariableDeclarator" && parent.id.type === "Identifier") {
      const sending = senders.get(parent.id.name) ?? [];
      if (sending.length === 1) return sending[0];
      return sending.length === 0 ? "none" : undefined;
    }
    return "none";
  }

  const listeners: TSESLint.RuleListener = {
    ImportDeclaration(node) {
      const packageName = node.source.value;
      if (packageName === CREDENTIAL_PROVIDERS || packageName.startsWith("@aws-sdk/credential-provider-")) followsOtherCredentials = true;
      if (!isSdkPackage(packageName) && packageName !== CREDENTIAL_PROVIDERS) return;
      for (const specifier of node.specifiers) {
        if (specifier.type === "ImportSpecifier") {
          const name = specifier.imported.type === "Identifier" ? specifier.imported.name : specifier.imported.value;
          imports.set(specifier.local.name, { packageName, name });
        } else {
          namespaces.set(specifier.local.name, packageName);
        }
      }
    },
    VariableDeclarator(node) {
      const init = node.init;
      // const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3")
      if (
        init?.type === "CallExpression" &&
        init.callee.type === "Identifier" &&
        init.callee.name === "require" &&
        init.arguments[0]?.type === "Literal"
      ) {
        const packageName = String(init.arguments[0].value);
        if (packageName === CREDENTIAL_PROVIDERS) followsOtherCredentials = true;
        if (!isSdkPackage(packageName) && packageName !== CREDENTIAL_PROVIDERS) return;
        if (node.id.type === "Identifier") namespaces.set(node.id.name, packageName);
        if (node.id.type === "ObjectPattern") {
          for (const property of node.id.properties) {
            if (property.type === "Property" && property.key.type === "Identifier" && property.value.type === "Identifier") {
              imports.set(property.value.name, { packageName, name: property.key.name });
            }
          }
        }
        return;
      }
      if (node.id.type !== "Identifier") {
        // const { TABLE_NAME } = process.env
        if (init && isProcessEnv(init) && node.id.type === "ObjectPattern") {
          for (const property of node.id.properties) {
            if (property.type === "Property" && property.key.type === "Identifier" && property.value.type === "Identifier") {
              environmentConstants.set(property.value.name, property.key.name);
            }
          }
        }
        return;
      }
      if (!init) return;
      // const TABLE = process.env.TABLE_NAME
      const environment = environmentName(init);
      if (environment) environmentConstants.set(node.id.name, environment);
      if (init.type === "ObjectExpression") configObjects.set(node.id.name, init);
      if (init.type === "NewExpression" || init.type === "CallExpression") clients.set(node.id.name, init);
      // const s3 = new S3({}): an aggregated client, whose methods are commands.
      if (init.type === "NewExpression") {
        const imported = importedName(init.callee);
        if (
          imported &&
          imported.packageName !== CREDENTIAL_PROVIDERS &&
          !imported.name.endsWith("Command") &&
          !imported.name.endsWith("Client")
        )
          aggregatedClients.set(node.id.name, imported.packageName);
      }
    },
    Property(node) {
      if (propertyName(node) === "credentials") followsOtherCredentials = true;
    },
    NewExpression(node) {
      const imported = importedName(node.callee);
      if (!imported) return;
      if (imported.name.endsWith("Command")) {
        record(node, imported.packageName, imported.name.slice(0, -"Command".length), node.arguments[0], () => senderOfCommand(node));
      } else if (imported.packageName === "@aws-sdk/lib-storage" && imported.name === "Upload") {
        const options = node.arguments[0];
        record(
          node,
          imported.packageName,
          "Upload",
          propertyOf(options, "params")?.value,
          () => propertyOf(options, "client")?.value ?? "none",
        );
      }
    },
    CallExpression(node) {
      if (isSendCall(node) && node.arguments[0]?.type === "Identifier") {
        const name = node.arguments[0].name;
        senders.set(name, [...(senders.get(name) ?? []), node.callee.object]);
      }
      const imported = importedName(node.callee);
      if (imported?.packageName === CREDENTIAL_PROVIDERS && imported.name === "fromTemporaryCredentials") {
        temporaryCredentials.push(node);
        return;
      }
      if (imported?.name.startsWith("paginate")) {
        const configuration = node.arguments[0];
        record(
          node,
          imported.packageName,
          imported.name.slice("paginate".length),
          node.arguments[1],
          () => propertyOf(configuration, "client")?.value ?? "none",
        );
        return;
      }
      const callee = node.callee;
      if (callee.type === "MemberExpression" && callee.object.type === "Identifier" && callee.property.type === "Identifier") {
        const packageName = aggregatedClients.get(callee.object.name);
        const command = callee.property.name.charAt(0).toUpperCase() + callee.property.name.slice(1);
        if (packageName && isKnownCommand(packageName, command)) record(node, packageName, command, node.arguments[0], () => callee.object);
      }
    },
  };

  function usage(): SdkUsage {
    const sent = commands.map((command) => ({ ...command, built: builtClient(command.sender()), owner: ownerOf(command.node) }));
    const assumptions: RoleAssumption[] = [];
    for (const { node, call, built, owner } of sent) {
      if (isAssumeRole(call)) assumptions.push({ node, input: call.input, credentials: credentialsOf(built), owner });
    }
    for (const node of temporaryCredentials) {
      const options = node.arguments[0];
      // Without masterCredentials, the provider assumes the role with the default chain's credentials.
      const credentials =
        options?.type !== "ObjectExpression" ? "unknown" : propertyOf(options, "masterCredentials") ? "other" : "execution-role";
      assumptions.push({ node, input: inputOf(propertyOf(options, "params")?.value), credentials, owner: ownerOf(node) });
    }
    const calls = sent
      .filter(({ call }) => !isAssumeRole(call))
      .map(({ node, call, built, owner }): FoundCall => {
        const credentials = credentialsOf(built);
        // A call signed with an assumed role's credentials acts as that role.
        const assumption = credentials === "other" && built !== "unresolved" ? assumptionOfConfig(built.config, assumptions) : undefined;
        return assumption ? { node, call, credentials, owner, assumption } : { node, call, credentials, owner };
      });
    return { calls, assumptions };
  }

  return { listeners, usage };
}

/**
 * The name of the top-level function a node is written in: `export async function handler`, `export
 * const report = () => ...`, `exports.handler = ...`, or a plain top-level function a bundler exports
 * later. A Lambda handler is such a function, named by the function's `Handler`.
 */
function ownerOf(node: TSESTree.Node): string | undefined {
  let current: TSESTree.Node = node;
  let owner: string | undefined;
  while (current.parent) {
    const parent: TSESTree.Node = current.parent;
    if (parent.type === "FunctionDeclaration" && parent.id) owner = parent.id.name;
    else if (parent.type === "VariableDeclarator" && parent.id.type === "Identifier" && isFunction(parent.init)) owner = parent.id.name;
    else if (
      parent.type === "AssignmentExpression" &&
      isFunction(parent.right) &&
      parent.left.type === "MemberExpression" &&
      parent.left.property.type === "Identifier"
    )
      owner = parent.left.property.name;
    if (parent.type === "Program") return owner;
    current = parent;
  }
  return owner;
}

function isFunction(node: TSESTree.Node | null | undefined): boolean {
  return node?.type === "ArrowFunctionExpression" || node?.type === "FunctionExpression";
}

/** The names the result of an assumption is held in: `const res = await sts.send(new AssumeRoleCommand(...))`, `{ Credentials: c }`, `const provider = fromTemporaryCredentials(...)`. */
function resultNames(node: TSESTree.Node): string[] {
  let current: TSESTree.Node = node;
  if (current.parent?.type === "CallExpression" && isSendCall(current.parent)) current = current.parent;
  if (current.parent?.type === "AwaitExpression") current = current.parent;
  const declarator = current.parent;
  if (declarator?.type !== "VariableDeclarator" || declarator.init !== current) return [];
  if (declarator.id.type === "Identifier") return [declarator.id.name];
  if (declarator.id.type !== "ObjectPattern") return [];
  return declarator.id.properties.flatMap((property) =>
    property.type === "Property" && propertyName(property) === "Credentials" && property.value.type === "Identifier"
      ? [property.value.name]
      : [],
  );
}

/** Every identifier an expression reads. */
function identifiersIn(node: TSESTree.Node): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object" && "type" in value) {
      const child = value as TSESTree.Node;
      if (child.type === "Identifier") names.add(child.name);
      for (const [key, field] of Object.entries(child)) if (key !== "parent" && key !== "loc" && key !== "range") visit(field);
    }
  };
  visit(node);
  return names;
}

/** An STS `AssumeRoleCommand`: the execution role's to allow, and a role the code assumes (cross-account-access). */
function isAssumeRole(call: SdkCall): boolean {
  return call.packageName === "@aws-sdk/client-sts" && call.command === "AssumeRole";
}

function isSendCall(node: TSESTree.CallExpression): node is TSESTree.CallExpression & { callee: TSESTree.MemberExpression } {
  return node.callee.type === "MemberExpression" && node.callee.property.type === "Identifier" && node.callee.property.name === "send";
}

function isProcessEnv(node: TSESTree.Node): boolean {
  return (
    node.type === "MemberExpression" &&
    node.object.type === "Identifier" &&
    node.object.name === "process" &&
    node.property.type === "Identifier" &&
    node.property.name === "env"
  );
}

/** `process.env.NAME` or `process.env["NAME"]`. */
function environmentName(node: TSESTree.Node): string | undefined {
  if (node.type !== "MemberExpression" || !isProcessEnv(node.object)) return undefined;
  if (node.property.type === "Identifier" && !node.computed) return node.property.name;
  if (node.property.type === "Literal" && typeof node.property.value === "string") return node.property.value;
  return undefined;
}
