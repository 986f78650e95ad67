import type { Variable } from "@typescript-eslint/scope-manager";
import type { TSESTree } from "@typescript-eslint/types";
import type { CallCredentials, InputValue, RoleAssumption, SdkCall, SdkUsage, UnmappedCall } from "../../analyzers/sdk/calls.js";
import { propertyName, propertyOf } from "../object-literals.js";
import { Bindings } from "./bindings.js";
import type { ParsedCode } from "./parse.js";
import { isKnownCommand, needsNoPermission, isSdkPackage, isSdkV2Package, v3Command } from "./sdk-v3.js";
import type { CodeListeners } from "./traverse.js";
import { traverse } from "./traverse.js";

/** The package whose `fromTemporaryCredentials` sends an `AssumeRoleCommand` with its `params`. */
const CREDENTIAL_PROVIDERS = "@aws-sdk/credential-providers";

/** Methods of an aggregated client (`new S3({})`) that are not commands. */
const CLIENT_METHODS = new Set(["send", "destroy"]);

/** A name imported from a package: `S3Client` of `@aws-sdk/client-s3`. */
interface Imported {
  packageName: string;
  name: string;
}

/** A command found, before who sends it is known. */
interface FoundCommand {
  node: TSESTree.Node;
  packageName: string;
  command: string;
  input: Map<string, InputValue>;
  /** The client expression that sends it; "none" when nothing in the file does. */
  sender: () => TSESTree.Node | undefined | "none";
}

/**
 * Reads a JavaScript or TypeScript file's AWS SDK v3 usage (SDK-for-JavaScript v3 commands, paginators,
 * lib-storage's `Upload`, aggregated clients' methods, lib-dynamodb's document client), who signs each
 * call, and the roles the code assumes, into the language-neutral model. Names are resolved through
 * the file's scopes. A call whose client the file does not show (a parameter, a client from another
 * module) has unknown credentials: it is never taken for the execution role's.
 */
export function readSdkUsage(parsed: ParsedCode): SdkUsage {
  const bindings = new Bindings(parsed.scopeManager);
  const imports = new Map<Variable, Imported>();
  const namespaces = new Map<Variable, string>();
  const aggregatedClients = new Map<Variable, string>();
  /** Every `x.send(...)`: one on an SDK client must send a command built here, or it is not known. */
  const sendCalls: Array<TSESTree.CallExpression & { callee: TSESTree.MemberExpression }> = [];
  const clients = new Map<Variable, TSESTree.Node>();
  const configObjects = new Map<Variable, TSESTree.ObjectExpression>();
  const senders = new Map<Variable, TSESTree.Node[]>();
  const environmentConstants = new Map<Variable, string>();
  const commands: FoundCommand[] = [];
  const unmapped: UnmappedCall[] = [];
  const temporaryCredentials: TSESTree.CallExpression[] = [];

  /** A variable that keeps its declared value, or undefined. */
  const constant = (node: TSESTree.Node | null | undefined): Variable | undefined => {
    const variable = bindings.variableOf(node);
    return variable && Bindings.isConstant(variable) ? variable : undefined;
  };

  function importedName(callee: TSESTree.Node): Imported | undefined {
    if (callee.type === "Identifier") {
      const variable = bindings.variableOf(callee);
      return variable ? imports.get(variable) : undefined;
    }
    if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier") {
      const variable = bindings.variableOf(callee.object);
      const packageName = variable ? namespaces.get(variable) : undefined;
      return packageName ? { packageName, name: callee.property.name } : undefined;
    }
    return undefined;
  }

  function inputOf(argument: TSESTree.Node | undefined): Map<string, InputValue> {
    const input = new Map<string, InputValue>();
    const object = argument?.type === "Identifier" ? configObjects.get(constant(argument)!) : argument;
    if (object?.type !== "ObjectExpression") return input;
    for (const property of object.properties) {
      const name = property.type === "Property" ? propertyName(property) : undefined;
      if (property.type === "Property" && name !== undefined) input.set(name, valueOf(property.value));
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
    if (node.type === "TemplateLiteral" && node.expressions.length === 0)
      return { kind: "literal", text: node.quasis[0]!.value.cooked ?? "" };
    const environment = environmentName(node);
    if (environment) return { kind: "env", name: environment };
    const variable = constant(node);
    const named = variable && environmentConstants.get(variable);
    return named ? { kind: "env", name: named } : { kind: "unknown" };
  }

  /** Who signs what a client built from this configuration sends. */
  function credentialsOfConfig(config: TSESTree.Node | undefined): CallCredentials {
    if (config === undefined) return "execution-role";
    const object = config.type === "Identifier" ? configObjects.get(constant(config)!) : config;
    if (object?.type !== "ObjectExpression") return "unknown";
    for (const property of object.properties) {
      if (property.type === "SpreadElement") return "unknown";
      const name = propertyName(property);
      if (name === undefined) return "unknown";
      if (name === "credentials") return "other";
    }
    return "execution-role";
  }

  /** The configuration a client expression is built with: `s3`, `new S3Client({...})`, `DynamoDBDocumentClient.from(base)`. */
  function configOfClient(client: TSESTree.Node, depth = 0): { config: TSESTree.Node | undefined } | "unresolved" {
    if (depth > 8) return "unresolved";
    if (client.type === "Identifier") {
      const variable = constant(client);
      const built = variable && clients.get(variable);
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
    // X-Ray's and Powertools' tracers return the client they are given, instrumented: `captureAWSv3Client(new S3Client({}))`.
    if (client.type === "CallExpression" && calleeName(client.callee) === "captureAWSv3Client" && client.arguments[0]) {
      return configOfClient(client.arguments[0], depth + 1);
    }
    return "unresolved";
  }

  /**
   * The role assumption whose credentials a configuration passes: `credentials: fromTemporaryCredentials(...)`,
   * or values read from the result of an `AssumeRoleCommand` (`Credentials.AccessKeyId`, ...).
   */
  function assumptionOfConfig(config: TSESTree.Node | undefined, assumptions: Array<RoleAssumption & { node: TSESTree.Node }>) {
    const object = config?.type === "Identifier" ? configObjects.get(constant(config)!) : config;
    const value = propertyOf(object, "credentials")?.value;
    if (!value) return undefined;
    const direct = assumptions.find((assumption) => assumption.node === value || assumptionHeldBy(value) === assumption.node);
    if (direct) return direct;
    const read = variablesIn(value, bindings);
    const linked = assumptions.filter((assumption) => resultVariables(assumption.node, bindings).some((variable) => read.has(variable)));
    return linked.length === 1 ? linked[0] : undefined;
  }

  /** The call a constant holds: `const provider = fromTemporaryCredentials(...)` read as `credentials: provider`. */
  function assumptionHeldBy(value: TSESTree.Node): TSESTree.Node | undefined {
    const variable = constant(value);
    const init = variable?.defs[0]?.node.type === "VariableDeclarator" ? variable.defs[0].node.init : undefined;
    return init ?? undefined;
  }

  function credentialsOf(built: { config: TSESTree.Node | undefined } | "unresolved"): CallCredentials {
    return built === "unresolved" ? "unknown" : credentialsOfConfig(built.config);
  }

  /** A command built here with `new XCommand(...)` of an SDK package: as the argument, or a constant holding it. */
  function isBuiltCommand(argument: TSESTree.Node | undefined): boolean {
    const variable = argument?.type === "Identifier" ? constant(argument) : undefined;
    const declarator = variable?.defs[0]?.node;
    const node = variable ? (declarator?.type === "VariableDeclarator" ? declarator.init : undefined) : argument;
    return node?.type === "NewExpression" && importedName(node.callee)?.name.endsWith("Command") === true;
  }

  function record(
    node: TSESTree.Node,
    packageName: string,
    command: string,
    argument: TSESTree.Node | undefined,
    sender: FoundCommand["sender"],
  ) {
    const input = inputOf(argument);
    if (needsNoPermission(packageName, command)) return;
    if (!v3Command(packageName, command, input.keys())) {
      // A command whose actions depend on the request (PartiQL, transactions) is known, and not judged either.
      const why = isKnownCommand(packageName, command) ? "depends-on-request" : "not-in-data";
      unmapped.push({ label: `${command}Command`, source: packageName, why, range: node.range });
      return;
    }
    commands.push({ node, packageName, command, input, sender });
  }

  /** The client that sends a command built here: `client.send(new XCommand())`, or `const c = new XCommand(); client.send(c)`. */
  function senderOfCommand(node: TSESTree.NewExpression): TSESTree.Node | undefined | "none" {
    const parent = node.parent;
    if (parent.type === "CallExpression" && parent.arguments[0] === node && isSendCall(parent)) return parent.callee.object;
    if (parent.type === "VariableDeclarator" && parent.id.type === "Identifier") {
      const variable = constant(parent.id);
      const sending = (variable && senders.get(variable)) ?? [];
      if (sending.length === 1) return sending[0];
      return sending.length === 0 ? "none" : undefined;
    }
    return "none";
  }

  /** The JavaScript SDK v2 loaded here: every call made with it is unknown to the reader. */
  function unreadSdk(node: TSESTree.Node, packageName: string) {
    unmapped.push({ label: "the AWS SDK for JavaScript v2", source: packageName, why: "unread-sdk", range: node.range });
  }

  /** `require("x")`, or esbuild's interop around it (`__toESM(require("x"))`): the package it loads. */
  function requiredPackage(init: TSESTree.Node | null | undefined): string | undefined {
    if (init?.type !== "CallExpression") return undefined;
    if (init.callee.type === "Identifier" && init.callee.name === "require" && !bindings.variableOf(init.callee)) {
      const [argument] = init.arguments;
      return argument?.type === "Literal" && typeof argument.value === "string" ? argument.value : undefined;
    }
    return init.arguments.length === 1 ? requiredPackage(init.arguments[0]) : undefined;
  }

  const listeners: CodeListeners = {
    ImportDeclaration(node) {
      const packageName = node.source.value;
      if (isSdkV2Package(packageName) && node.importKind !== "type") unreadSdk(node, packageName);
      if (!isSdkPackage(packageName) && packageName !== CREDENTIAL_PROVIDERS) return;
      for (const specifier of node.specifiers) {
        const variable = bindings.declared(specifier)[0];
        if (!variable) continue;
        if (specifier.type === "ImportSpecifier") {
          const name = specifier.imported.type === "Identifier" ? specifier.imported.name : specifier.imported.value;
          imports.set(variable, { packageName, name });
        } else {
          namespaces.set(variable, packageName);
        }
      }
    },
    VariableDeclarator(node) {
      const init = node.init;
      // const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3")
      const required = requiredPackage(init);
      if (required !== undefined) {
        if (!isSdkPackage(required) && required !== CREDENTIAL_PROVIDERS) return;
        if (node.id.type === "Identifier") {
          const variable = constant(node.id);
          if (variable) namespaces.set(variable, required);
        } else if (node.id.type === "ObjectPattern") {
          for (const property of node.id.properties) {
            const variable = property.type === "Property" ? constant(property.value) : undefined;
            const name = property.type === "Property" ? propertyName(property) : undefined;
            if (variable && name !== undefined) imports.set(variable, { packageName: required, name });
          }
        }
        return;
      }
      if (node.id.type !== "Identifier") {
        // const { TABLE_NAME } = process.env
        if (init && isProcessEnv(init) && node.id.type === "ObjectPattern") {
          for (const property of node.id.properties) {
            const variable = property.type === "Property" ? constant(property.value) : undefined;
            const name = property.type === "Property" ? propertyName(property) : undefined;
            if (variable && name !== undefined) environmentConstants.set(variable, name);
          }
        }
        return;
      }
      const variable = constant(node.id);
      if (!init || !variable) return;
      // const TABLE = process.env.TABLE_NAME
      const environment = environmentName(init);
      if (environment) environmentConstants.set(variable, environment);
      if (init.type === "ObjectExpression") configObjects.set(variable, init);
      if (init.type === "NewExpression" || init.type === "CallExpression") clients.set(variable, init);
      // const s3 = new S3({}): an aggregated client, whose methods are commands (lib-storage's Upload is none:
      // its `done()` sends the upload, read where it is made).
      if (init.type === "NewExpression") {
        const imported = importedName(init.callee);
        if (
          imported &&
          imported.packageName !== CREDENTIAL_PROVIDERS &&
          imported.packageName !== "@aws-sdk/lib-storage" &&
          !imported.name.endsWith("Command") &&
          !imported.name.endsWith("Client")
        )
          aggregatedClients.set(variable, imported.packageName);
      }
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
      const required = node.callee.type === "Identifier" ? requiredPackage(node) : undefined;
      if (required !== undefined && isSdkV2Package(required)) unreadSdk(node, required);
      if (isSendCall(node) && node.arguments[0]?.type === "Identifier") {
        const variable = constant(node.arguments[0]);
        if (variable) senders.set(variable, [...(senders.get(variable) ?? []), node.callee.object]);
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
      if (isSendCall(node)) sendCalls.push(node);
      const callee = node.callee;
      const method = callee.type === "MemberExpression" ? memberName(callee) : undefined;
      if (callee.type === "MemberExpression" && method !== undefined) {
        const variable = constant(callee.object);
        const packageName = variable && aggregatedClients.get(variable);
        const command = method.charAt(0).toUpperCase() + method.slice(1);
        if (packageName && !CLIENT_METHODS.has(method)) record(node, packageName, command, node.arguments[0], () => callee.object);
      }
    },
    MemberExpression(node) {
      // s3[operation](...): which command it sends is known only at run time.
      if (!node.computed || memberName(node) !== undefined) return;
      const variable = constant(node.object);
      const packageName = variable && aggregatedClients.get(variable);
      if (packageName) unmapped.push({ label: `${variable.name}[...]`, source: packageName, why: "depends-on-request", range: node.range });
    },
  };
  traverse(parsed.program, listeners);
  // client.send(command) of a command not built here (a parameter, a value from elsewhere): not known.
  for (const node of sendCalls)
    if (!isBuiltCommand(node.arguments[0]) && configOfClient(node.callee.object) !== "unresolved")
      unmapped.push({ label: "send() of a command made elsewhere", source: "", why: "depends-on-request", range: node.range });

  const sent = commands.map((command) => {
    const sender = command.sender();
    return {
      ...command,
      built: sender === "none" || sender === undefined ? ("unresolved" as const) : configOfClient(sender),
      owner: ownerOf(command.node),
    };
  });
  const assumptions: Array<RoleAssumption & { node: TSESTree.Node }> = [];
  for (const { node, packageName, command, input, built, owner } of sent) {
    if (isAssumeRole(packageName, command)) assumptions.push({ node, input, credentials: credentialsOf(built), owner, range: node.range });
  }
  for (const node of temporaryCredentials) {
    const options = node.arguments[0];
    // Without masterCredentials, the provider assumes the role with the default chain's credentials.
    const credentials =
      options?.type !== "ObjectExpression" ? "unknown" : propertyOf(options, "masterCredentials") ? "other" : "execution-role";
    assumptions.push({ node, input: inputOf(propertyOf(options, "params")?.value), credentials, owner: ownerOf(node), range: node.range });
  }
  const calls = sent
    .filter(({ packageName, command }) => !isAssumeRole(packageName, command))
    .map(({ node, packageName, command, input, built, owner }): SdkCall => {
      const { service, operation, actions, kmsWhenEncrypted, mayUse } = v3Command(packageName, command, input.keys())!;
      const credentials = credentialsOf(built);
      // A call signed with an assumed role's credentials acts as that role.
      const assumption = credentials === "other" && built !== "unresolved" ? assumptionOfConfig(built.config, assumptions) : undefined;
      const call: SdkCall = {
        service,
        operation,
        label: `${command}Command`,
        actions,
        kmsWhenEncrypted,
        mayUse,
        input,
        credentials,
        owner,
        range: node.range,
      };
      return assumption ? { ...call, assumption: withoutNode(assumption) } : call;
    });
  return { calls, assumptions: assumptions.map(withoutNode), unmapped };
}

function withoutNode({ node: _node, ...assumption }: RoleAssumption & { node: TSESTree.Node }): RoleAssumption {
  return assumption;
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

/**
 * The variables the result of an assumption is held in: `const res = await sts.send(new AssumeRoleCommand(...))`,
 * `{ Credentials: c }`, `const provider = fromTemporaryCredentials(...)`.
 */
function resultVariables(node: TSESTree.Node, bindings: Bindings): Variable[] {
  let current: TSESTree.Node = node;
  if (current.parent?.type === "CallExpression" && isSendCall(current.parent)) current = current.parent;
  if (current.parent?.type === "AwaitExpression") current = current.parent;
  const declarator = current.parent;
  if (declarator?.type !== "VariableDeclarator" || declarator.init !== current) return [];
  if (declarator.id.type === "Identifier") return bindings.declared(declarator).slice(0, 1);
  if (declarator.id.type !== "ObjectPattern") return [];
  return declarator.id.properties.flatMap((property) => {
    const variable =
      property.type === "Property" && propertyName(property) === "Credentials" ? bindings.variableOf(property.value) : undefined;
    return variable ? [variable] : [];
  });
}

/** Every variable an expression reads. */
function variablesIn(node: TSESTree.Node, bindings: Bindings): Set<Variable> {
  const variables = new Set<Variable>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object" && "type" in value) {
      const child = value as TSESTree.Node;
      const variable = bindings.variableOf(child);
      if (variable) variables.add(variable);
      for (const [key, field] of Object.entries(child)) if (key !== "parent" && key !== "loc" && key !== "range") visit(field);
    }
  };
  visit(node);
  return variables;
}

/** An STS `AssumeRoleCommand`: the execution role's to allow, and a role the code assumes (cross-account-access). */
function isAssumeRole(packageName: string, command: string): boolean {
  return packageName === "@aws-sdk/client-sts" && command === "AssumeRole";
}

/** The name a call's callee ends in: `f` of `f(...)` and of `a.b.f(...)`. */
function calleeName(callee: TSESTree.Node): string | undefined {
  if (callee.type === "Identifier") return callee.name;
  return callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier" ? callee.property.name : undefined;
}

/** The name a member access reads: `s3.getObject`, `s3["getObject"]`; undefined when computed at run time. */
function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed) return node.property.type === "Identifier" ? node.property.name : undefined;
  return node.property.type === "Literal" && typeof node.property.value === "string" ? node.property.value : undefined;
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
