import boto3Data from "../data/boto3-clients.json" with { type: "json" };
import type { CallCredentials, InputValue, RoleAssumption, SdkCall, SdkUsage, UnmappedCall } from "../analyzers/sdk/calls.js";
import { needsNoPermission, v3Command } from "../handlers/code/sdk-v3.js";
import type { PyNode } from "./tree.js";

/** A request a resource makes: its operation, and the parameters its identifiers (or constants) fill. */
interface ResourceRequest {
  operation: string;
  params: Record<string, { identifier: string } | { literal: string }>;
}

/** A resource type of boto3's resource model (or the service resource), as generate-python-data.js writes it. */
interface ResourceModel {
  identifiers: string[];
  actions: Record<string, ResourceRequest>;
  has: Record<string, { type: string; identifiers: Array<{ target: string; parent?: string }> }>;
  collections: Record<string, ResourceRequest>;
  load?: ResourceRequest;
}

/**
 * boto3's clients by the service name `boto3.client` takes: the v3 package of the same API, methods,
 * waiters and, for the services boto3 has resources of, the resource models (src/data/boto3-clients.json,
 * from botocore and boto3).
 */
const CLIENTS = (
  boto3Data as {
    clients: Record<
      string,
      {
        package: string;
        methods: Record<string, string>;
        waiters: Record<string, string>;
        resource?: ResourceModel;
        resourceTypes?: Record<string, ResourceModel>;
      }
    >;
  }
).clients;

/**
 * What boto3's transfer manager does to upload: PutObject, or a multipart upload (s3:PutObject too) that it
 * aborts when a part fails, as lib-storage's `Upload` does; read as that command.
 */
const TRANSFER_UPLOAD = "Upload";

/**
 * boto3's own client methods that call S3 through its transfer manager: the operation each starts with
 * (upload_file sends PutObject, or CreateMultipartUpload and its parts: TRANSFER_UPLOAD).
 * https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-uploading-files.html
 */
const S3_TRANSFERS: Record<string, { operation: string; input: Record<number, string> }> = {
  upload_file: { operation: TRANSFER_UPLOAD, input: { 1: "Bucket", 2: "Key" } },
  upload_fileobj: { operation: TRANSFER_UPLOAD, input: { 1: "Bucket", 2: "Key" } },
  download_file: { operation: "GetObject", input: { 0: "Bucket", 1: "Key" } },
  download_fileobj: { operation: "GetObject", input: { 0: "Bucket", 1: "Key" } },
  copy: { operation: "CopyObject", input: { 1: "Bucket", 2: "Key" } },
};

/**
 * boto3's own resource methods that call S3 through its transfer manager (on a Bucket the key is an
 * argument, on an Object it is the Object's), and DynamoDB's batch writer, which sends BatchWriteItem.
 * https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-uploading-files.html
 * https://boto3.amazonaws.com/v1/documentation/api/latest/guide/dynamodb.html#batch-writing
 */
const RESOURCE_CUSTOMIZATIONS: Record<
  string,
  Record<string, { operation: string; identifiers: Record<string, string>; input: Record<number, string> }>
> = {
  Bucket: {
    upload_file: { operation: TRANSFER_UPLOAD, identifiers: { Bucket: "Name" }, input: { 1: "Key" } },
    upload_fileobj: { operation: TRANSFER_UPLOAD, identifiers: { Bucket: "Name" }, input: { 1: "Key" } },
    download_file: { operation: "GetObject", identifiers: { Bucket: "Name" }, input: { 0: "Key" } },
    download_fileobj: { operation: "GetObject", identifiers: { Bucket: "Name" }, input: { 0: "Key" } },
  },
  Object: {
    upload_file: { operation: TRANSFER_UPLOAD, identifiers: { Bucket: "BucketName", Key: "Key" }, input: {} },
    upload_fileobj: { operation: TRANSFER_UPLOAD, identifiers: { Bucket: "BucketName", Key: "Key" }, input: {} },
    download_file: { operation: "GetObject", identifiers: { Bucket: "BucketName", Key: "Key" }, input: {} },
    download_fileobj: { operation: "GetObject", identifiers: { Bucket: "BucketName", Key: "Key" }, input: {} },
  },
  Table: { batch_writer: { operation: "BatchWriteItem", identifiers: { TableName: "Name" }, input: {} } },
};

/**
 * boto3 method names (of clients and resources) that name one operation of one service, and that no
 * common Python object has: two words at least (`put_item`, `send_message`), not `get` or `load`.
 */
const UNIQUE_METHODS: ReadonlyMap<string, { service: string; operation: string }> = (() => {
  const found = new Map<string, Set<string>>();
  const add = (method: string, service: string, operation: string) => {
    if (!method.includes("_")) return;
    found.set(method, (found.get(method) ?? new Set()).add(`${service}:${operation}`));
  };
  for (const [service, client] of Object.entries(CLIENTS)) {
    for (const [method, operation] of Object.entries(client.methods)) add(method, service, operation);
    for (const model of [client.resource, ...Object.values(client.resourceTypes ?? {})]) {
      for (const [method, request] of Object.entries(model?.actions ?? {})) add(method, service, request.operation);
    }
  }
  const unique = new Map<string, { service: string; operation: string }>();
  for (const [method, targets] of found) {
    if (targets.size !== 1) continue;
    const [service, operation] = [...targets][0]!.split(":") as [string, string];
    unique.set(method, { service, operation });
  }
  return unique;
})();

/** A collection's methods that make its request when iterated (`bucket.objects.filter(Prefix="a/")`). */
const COLLECTION_METHODS = new Set(["all", "filter", "limit", "page_size"]);

/** Client members that make no request. */
const LOCAL_MEMBERS = new Set(["meta", "exceptions", "can_paginate", "close", "get_paginator", "get_waiter"]);

/**
 * Client methods that sign a request without sending it: whoever gets the URL sends it, with the role's
 * credentials, so the role must allow it, but the function makes no call.
 */
const PRESIGNING_METHODS = new Set(["generate_presigned_url", "generate_presigned_post"]);

/** The credentials keyword arguments of `boto3.client(...)` and `boto3.Session(...)`. */
const CREDENTIAL_KEYWORDS = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "profile_name", "botocore_session"];

/** A client a name holds: its service and whose credentials sign its calls. */
interface Client extends Signer {
  service: string;
}

/** Whose credentials sign: the execution role's, or other ones (those an AssumeRole call at offset `assumedAt` returned, when the code shows it). */
interface Signer {
  credentials: CallCredentials;
  assumedAt?: number;
}

/** A boto3 resource: the service resource (type "") or one of its types, with its identifiers' values. */
interface Resource extends Client {
  type: string;
  identifiers: Map<string, InputValue>;
}

/** What a name is bound to, in one scope: a client, a session (with its credentials), the boto3 module or its `client`/`Session`. */
type Binding =
  | { kind: "client"; client: Client }
  | { kind: "resource"; resource: Resource }
  | ({ kind: "session" } & Signer)
  /** The result of an AssumeRole call (or a part of it: `["Credentials"]`), by where the call starts. */
  | { kind: "assumed"; at: number }
  | { kind: "boto3" }
  | { kind: "boto3-client" }
  | { kind: "boto3-resource" }
  | { kind: "boto3-session" }
  | { kind: "os" }
  | { kind: "environ" }
  | { kind: "getenv" }
  /** A DynamoDB batch writer: its put_item and delete_item buffer into the BatchWriteItem of `batch_writer()`. */
  | { kind: "batch-writer" }
  /** Bound more than one way, or to something else: not a client. */
  | { kind: "other" };

/**
 * The AWS SDK for Python (boto3) calls of a module, in the language-neutral model: clients made by
 * `boto3.client("s3")`, a session's `client`, or `from boto3 import client`, at module level or in a
 * function; each call of a client's method with its operation, IAM actions (the same data as the
 * JavaScript SDK's commands: both SDKs send the same API operations) and keyword inputs; AssumeRole
 * calls as role assumptions.
 */
export function readBoto3Usage(root: PyNode): SdkUsage {
  const calls: SdkCall[] = [];
  const assumptions: RoleAssumption[] = [];
  const unmapped: UnmappedCall[] = [];
  /** Calls signed with an assumed role's credentials, by where that AssumeRole call starts. */
  const assumedCalls = new Map<SdkCall, number>();
  const moduleScope = bindingsOf(root.children, new Map());
  // A client passed to a function of the module: the parameter is that client when every call of the
  // function in the file passes the same one (twice over, for a client passed on through a second function).
  const functions = new Map<string, PyNode>();
  for (const statement of root.children) {
    const definition = statement.type === "decorated_definition" ? statement.fields.definition : statement;
    if (definition?.type === "function_definition" && definition.fields.name) functions.set(definition.fields.name.text, definition);
  }
  let passed = new Map<PyNode, Map<string, Binding>>();
  for (let round = 0; round < 2; round++) {
    const seen = new Map<PyNode, Map<string, Binding[]>>();
    const collect = (call: PyNode, scope: Map<string, Binding>) => {
      const callee = call.fields.function;
      const definition = callee?.type === "identifier" && scope.get(callee.text)?.kind === "other" ? functions.get(callee.text) : undefined;
      if (!definition) return;
      const parameters = parametersOf(definition);
      const byParameter = seen.get(definition) ?? new Map<string, Binding[]>();
      seen.set(definition, byParameter);
      positional(call).forEach((argument, index) => {
        const name = parameters[index];
        if (name) byParameter.set(name, [...(byParameter.get(name) ?? []), bindingOfValue(argument, scope)]);
      });
      for (const argument of call.fields.arguments?.children ?? []) {
        const name = argument.type === "keyword_argument" ? argument.fields.name?.text : undefined;
        if (name && argument.fields.value)
          byParameter.set(name, [...(byParameter.get(name) ?? []), bindingOfValue(argument.fields.value, scope)]);
      }
    };
    for (const statement of root.children) visit(statement, moduleScope, undefined, collect);
    passed = new Map(
      [...seen].map(([definition, byParameter]) => [
        definition,
        new Map(
          [...byParameter].flatMap(([name, bindings]) =>
            bindings.every((binding) => binding.kind !== "other" && bindingKey(binding) === bindingKey(bindings[0]!))
              ? [[name, bindings[0]!]]
              : [],
          ),
        ),
      ]),
    );
  }
  for (const statement of root.children) visit(statement, moduleScope, undefined, readCall);
  for (const [call, at] of assumedCalls) {
    const assumption = assumptions.find((candidate) => candidate.range[0] === at);
    if (assumption) call.assumption = assumption;
  }
  return { calls, assumptions, unmapped };

  function visit(
    node: PyNode,
    scope: Map<string, Binding>,
    owner: string | undefined,
    onCall: (call: PyNode, scope: Map<string, Binding>, owner: string | undefined) => void,
  ): void {
    const stack: PyNode[] = [node];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (current.type === "function_definition" || current.type === "class_definition") {
        const body = current.fields.body;
        const name = current.fields.name?.text;
        if (body) {
          const inner =
            current.type === "function_definition"
              ? bindingsOf(body.children, new Map(scope), parametersOf(current), passed.get(current))
              : scope;
          for (const statement of body.children) visit(statement, inner, owner ?? name, onCall);
        }
        continue;
      }
      if (current.type === "call") onCall(current, scope, owner);
      for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]!);
    }
  }

  function readCall(call: PyNode, scope: Map<string, Binding>, owner: string | undefined): void {
    const callee = call.fields.function;
    // getattr(client, name): which method, so which operation, is known only at run time.
    if (callee?.type === "identifier" && callee.text === "getattr" && !scope.has("getattr")) {
      const target = positional(call)[0];
      const service = clientOf(target, scope)?.service ?? resourceOf(target, scope)?.service;
      if (service)
        unmapped.push({
          label: `getattr(${target!.text}, ...)`,
          source: `boto3 ${service}`,
          why: "depends-on-request",
          range: [call.range[0], call.range[1]],
        });
      return;
    }
    if (callee?.type !== "attribute") return;
    const method = callee.fields.attribute?.text;
    const object = callee.fields.object;
    if (!method || !object) return;
    // client.get_paginator("list_objects_v2").paginate(...) and client.get_waiter("table_exists").wait(...)
    if ((method === "paginate" || method === "wait") && object.type === "call") {
      const inner = object.fields.function;
      const client = inner?.type === "attribute" ? clientOf(inner.fields.object, scope) : undefined;
      const kind = inner?.fields.attribute?.text;
      const name = stringLiteral(positional(object)[0]);
      if (!client || (kind !== "get_paginator" && kind !== "get_waiter")) return;
      const methods = CLIENTS[client.service];
      const operation = name === undefined ? undefined : kind === "get_paginator" ? methods?.methods[name] : methods?.waiters[name];
      const label = `${client.service}.${kind}(${name === undefined ? "…" : `"${name}"`}).${method}`;
      record(call, client, operation, label, owner, inputOf(call, scope, {}));
      return;
    }
    // bucket.objects.all(), table.meta... : a collection of a resource, iterated.
    if (COLLECTION_METHODS.has(method) && object.type === "attribute") {
      const parent = resourceOf(object.fields.object, scope);
      const collection = object.fields.attribute?.text;
      const request = parent && collection ? modelOf(parent)?.collections[collection] : undefined;
      if (parent && request) {
        record(
          call,
          parent,
          request.operation,
          `${resourceLabel(parent)}.${collection}.${method}`,
          owner,
          requestInput(call, parent, request, scope),
        );
        return;
      }
    }
    const resource = resourceOf(object, scope);
    if (resource) {
      readResourceCall(call, resource, method, scope, owner);
      return;
    }
    const client = clientOf(object, scope);
    if (!client) {
      // A method only boto3 has, on an object this file does not show to be a client (a helper's result,
      // a parameter): an AWS call whose signer is not known, which is listed, never judged.
      const only = UNIQUE_METHODS.get(method);
      const batch = object.type === "identifier" && scope.get(object.text)?.kind === "batch-writer";
      if (only && !batch && !isBatchWriter(object))
        record(
          call,
          { service: only.service, credentials: "unknown" },
          only.operation,
          `${only.service}.${method}`,
          owner,
          inputOf(call, scope, {}),
        );
      return;
    }
    if (LOCAL_MEMBERS.has(method)) return;
    if (PRESIGNING_METHODS.has(method)) {
      unmapped.push({
        label: `${client.service}.${method}`,
        source: `boto3 ${client.service}`,
        why: "presigned",
        range: [call.range[0], call.range[1]],
      });
      return;
    }
    const transfer = client.service === "s3" ? S3_TRANSFERS[method] : undefined;
    const operation = transfer?.operation ?? CLIENTS[client.service]?.methods[method];
    record(call, client, operation, `${client.service}.${method}`, owner, inputOf(call, scope, transfer?.input ?? {}));
  }

  /** A method of a resource: one of its actions, its load, boto3's transfer and batch helpers, or a sub-resource (no request). */
  function readResourceCall(
    call: PyNode,
    resource: Resource,
    method: string,
    scope: Map<string, Binding>,
    owner: string | undefined,
  ): void {
    const model = modelOf(resource);
    if (!model || method in model.has || method === "get_available_subresources") return;
    const label = `${resourceLabel(resource)}.${method}`;
    const request = model.actions[method] ?? (method === "load" || method === "reload" ? model.load : undefined);
    if (request) {
      record(call, resource, request.operation, label, owner, requestInput(call, resource, request, scope));
      return;
    }
    const custom = RESOURCE_CUSTOMIZATIONS[resource.type]?.[method];
    if (custom) {
      const input = inputOf(call, scope, custom.input);
      for (const [target, identifier] of Object.entries(custom.identifiers))
        input.set(target, resource.identifiers.get(identifier) ?? { kind: "unknown" });
      record(call, resource, custom.operation, label, owner, input);
      return;
    }
    record(call, resource, undefined, label, owner, new Map());
  }

  function record(
    call: PyNode,
    client: Client,
    operation: string | undefined,
    label: string,
    owner: string | undefined,
    input: Map<string, InputValue>,
  ): void {
    const range: [number, number] = [call.range[0], call.range[1]];
    const entry = CLIENTS[client.service];
    if (!entry || operation === undefined) {
      unmapped.push({ label, source: `boto3 ${client.service}`, why: "not-in-data", range });
      return;
    }
    if (client.service === "sts" && operation === "AssumeRole") {
      assumptions.push({ input, credentials: client.credentials, owner, range });
      return;
    }
    const [packageName, name] =
      client.service === "s3" && operation === TRANSFER_UPLOAD ? ["@aws-sdk/lib-storage", "Upload"] : [entry.package, operation];
    if (needsNoPermission(packageName, name)) return;
    const command = v3Command(packageName, name, input.keys());
    if (!command) {
      unmapped.push({ label, source: `boto3 ${client.service}`, why: "depends-on-request", range });
      return;
    }
    calls.push({ ...command, label, input, credentials: client.credentials, owner, range });
    if (client.assumedAt !== undefined) assumedCalls.set(calls[calls.length - 1]!, client.assumedAt);
  }

  /** The client an expression is: a name bound to one, `boto3.client("s3")` itself, or a resource's `meta.client`. */
  function clientOf(node: PyNode | undefined, scope: Map<string, Binding>): Client | undefined {
    if (!node) return undefined;
    if (node.type === "identifier") {
      const binding = scope.get(node.text);
      return binding?.kind === "client" ? binding.client : undefined;
    }
    if (node.type === "attribute" && node.fields.attribute?.text === "client" && node.fields.object?.type === "attribute") {
      const meta = node.fields.object;
      const resource = meta.fields.attribute?.text === "meta" ? resourceOf(meta.fields.object, scope) : undefined;
      return resource && { service: resource.service, credentials: resource.credentials };
    }
    const made = node.type === "call" ? bindingOfValue(node, scope) : undefined;
    return made?.kind === "client" ? made.client : undefined;
  }
}

/** The resource an expression is: a name bound to one, or one made in place (`boto3.resource("s3").Bucket(name)`). */
function resourceOf(node: PyNode | undefined, scope: Map<string, Binding>): Resource | undefined {
  if (!node || (node.type !== "identifier" && node.type !== "call")) return undefined;
  const binding = bindingOfValue(node, scope);
  return binding.kind === "resource" ? binding.resource : undefined;
}

function modelOf(resource: Resource): ResourceModel | undefined {
  const client = CLIENTS[resource.service];
  return resource.type === "" ? client?.resource : client?.resourceTypes?.[resource.type];
}

function resourceLabel(resource: Resource): string {
  return resource.type === "" ? `${resource.service} resource` : `${resource.service} ${resource.type}`;
}

/** A resource request's input: the parameters its identifiers fill, and the call's own keyword arguments. */
function requestInput(call: PyNode, resource: Resource, request: ResourceRequest, scope: Map<string, Binding>): Map<string, InputValue> {
  const input = inputOf(call, scope, {});
  for (const [target, source] of Object.entries(request.params)) {
    input.set(
      target,
      "literal" in source
        ? { kind: "literal", text: source.literal }
        : (resource.identifiers.get(source.identifier) ?? { kind: "unknown" }),
    );
  }
  return input;
}

/** The names a block binds (assignments, imports), over those it inherits; parameters (what callers pass, when known) shadow everything. */
function bindingsOf(
  statements: PyNode[],
  scope: Map<string, Binding>,
  parameters: string[] = [],
  passed: Map<string, Binding> = new Map(),
): Map<string, Binding> {
  for (const name of parameters) scope.set(name, passed.get(name) ?? { kind: "other" });
  const assigned = new Map<string, Binding>();
  const bind = (name: string, binding: Binding) => {
    const known = assigned.get(name);
    assigned.set(name, known && bindingKey(known) !== bindingKey(binding) ? { kind: "other" } : binding);
  };
  // In the order they are written: a session is made before its clients.
  const stack = [...statements].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    // Nested functions and classes have scopes of their own.
    if (node.type === "function_definition" || node.type === "class_definition") {
      if (node.fields.name) bind(node.fields.name.text, { kind: "other" });
      continue;
    }
    if (node.type === "import_statement" || node.type === "import_from_statement") {
      for (const [name, binding] of importBindings(node)) bind(name, binding);
      continue;
    }
    if (node.type === "assignment" && node.fields.left?.type === "identifier" && node.fields.right) {
      bind(node.fields.left.text, bindingOfValue(node.fields.right, new Map([...scope, ...assigned])));
    } else if (node.type === "assignment" || node.type === "augmented_assignment" || node.type === "for_statement") {
      for (const target of targetNames(node.fields.left)) bind(target, { kind: "other" });
    } else if (node.type === "as_pattern") {
      // `with x() as y`, `except E as y`: only the alias is bound (to a batch writer, `with table.batch_writer() as batch`).
      const value = node.children[0];
      const binding = value && isBatchWriter(value) ? { kind: "batch-writer" as const } : { kind: "other" as const };
      for (const target of targetNames(node.fields.alias)) bind(target, binding);
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return new Map([...scope, ...assigned]);
}

/** The names an import binds, with what they are when they are boto3's or os's. */
function importBindings(node: PyNode): Array<[string, Binding]> {
  const bindings: Array<[string, Binding]> = [];
  if (node.type === "import_statement") {
    for (const child of node.children) {
      const dotted = child.type === "aliased_import" ? child.fields.name : child;
      const alias = child.type === "aliased_import" ? child.fields.alias?.text : undefined;
      const name = dottedText(dotted);
      if (name === "boto3") bindings.push([alias ?? "boto3", { kind: "boto3" }]);
      else if (name === "os") bindings.push([alias ?? "os", { kind: "os" }]);
      else if (name) bindings.push([alias ?? name.split(".")[0]!, { kind: "other" }]);
    }
    return bindings;
  }
  const module = dottedText(node.fields.module_name);
  for (const child of node.children.slice(1)) {
    const imported = child.type === "aliased_import" ? dottedText(child.fields.name) : dottedText(child);
    const alias = child.type === "aliased_import" ? child.fields.alias?.text : imported;
    if (!imported || !alias) continue;
    const binding: Binding =
      module === "boto3" && imported === "client"
        ? { kind: "boto3-client" }
        : module === "boto3" && imported === "resource"
          ? { kind: "boto3-resource" }
          : (module === "boto3" || module === "boto3.session") && imported === "Session"
            ? { kind: "boto3-session" }
            : module === "os" && imported === "environ"
              ? { kind: "environ" }
              : module === "os" && imported === "getenv"
                ? { kind: "getenv" }
                : { kind: "other" };
    bindings.push([alias, binding]);
  }
  return bindings;
}

/** What a value is: a client, a session, or other. */
function bindingOfValue(value: PyNode, scope: Map<string, Binding>): Binding {
  if (value.type === "identifier") return scope.get(value.text) ?? { kind: "other" };
  // response["Credentials"]["SessionToken"]: still the assumed role's.
  if (value.type === "subscript" && value.fields.value) {
    const from = bindingOfValue(value.fields.value, scope);
    return from.kind === "assumed" ? from : { kind: "other" };
  }
  if (value.type !== "call") return { kind: "other" };
  if (isBatchWriter(value)) return { kind: "batch-writer" };
  const callee = value.fields.function;
  const keywords = keywordNames(value);
  const own = signerOf(value, scope);
  const service = stringLiteral(positional(value)[0] ?? keywordValue(value, "service_name"));
  // boto3.client("s3"), client("s3")
  const isBoto3 = (node: PyNode | undefined) => node?.type === "identifier" && scope.get(node.text)?.kind === "boto3";
  if (
    (callee?.type === "identifier" && scope.get(callee.text)?.kind === "boto3-client") ||
    (callee?.type === "attribute" && callee.fields.attribute?.text === "client" && isBoto3(callee.fields.object))
  ) {
    return service === undefined ? { kind: "other" } : { kind: "client", client: { service, ...own } };
  }
  // boto3.resource("dynamodb"), resource("dynamodb")
  if (
    (callee?.type === "identifier" && scope.get(callee.text)?.kind === "boto3-resource") ||
    (callee?.type === "attribute" && callee.fields.attribute?.text === "resource" && isBoto3(callee.fields.object))
  ) {
    return service === undefined ? { kind: "other" } : serviceResource(service, own);
  }
  // A sub-resource: dynamodb.Table(name), s3.Bucket(name).Object(key)
  if (callee?.type === "attribute" && callee.fields.object) {
    const parentBinding =
      callee.fields.object.type === "identifier" || callee.fields.object.type === "call"
        ? bindingOfValue(callee.fields.object, scope)
        : undefined;
    const parent = parentBinding?.kind === "resource" ? parentBinding.resource : undefined;
    const sub = parent && modelOf(parent)?.has[callee.fields.attribute?.text ?? ""];
    if (parent && sub) {
      const args = positional(value);
      let next = 0;
      const identifiers = new Map<string, InputValue>();
      for (const identifier of sub.identifiers) {
        identifiers.set(
          identifier.target,
          identifier.parent !== undefined
            ? (parent.identifiers.get(identifier.parent) ?? { kind: "unknown" })
            : args[next] && keywords.size === 0
              ? valueOf(args[next++]!, scope)
              : { kind: "unknown" },
        );
      }
      return { kind: "resource", resource: { ...parent, type: sub.type, identifiers } };
    }
  }
  // boto3.Session(...), Session(...), boto3.session.Session(...)
  if (
    (callee?.type === "identifier" && scope.get(callee.text)?.kind === "boto3-session") ||
    (callee?.type === "attribute" &&
      callee.fields.attribute?.text === "Session" &&
      (isBoto3(callee.fields.object) ||
        (callee.fields.object?.type === "attribute" &&
          callee.fields.object.fields.attribute?.text === "session" &&
          isBoto3(callee.fields.object.fields.object))))
  ) {
    return { kind: "session", ...own };
  }
  // session.client("s3"), boto3.Session().client("s3"), session.resource("s3")
  const made = callee?.type === "attribute" ? callee.fields.attribute?.text : undefined;
  if ((made === "client" || made === "resource") && callee?.fields.object) {
    const session = bindingOfValue(callee.fields.object, scope);
    if (session.kind === "session" && service !== undefined) {
      // Credentials of the client's own override the session's.
      const signer: Signer =
        own.credentials === "other"
          ? own
          : { credentials: session.credentials, ...(session.assumedAt === undefined ? {} : { assumedAt: session.assumedAt }) };
      return made === "client" ? { kind: "client", client: { service, ...signer } } : serviceResource(service, signer);
    }
  }
  // sts.assume_role(...): its result holds the assumed role's credentials.
  if (made === "assume_role" && callee?.fields.object) {
    const sts = bindingOfValue(callee.fields.object, scope);
    if (sts.kind === "client" && sts.client.service === "sts") return { kind: "assumed", at: value.range[0] };
  }
  // response.get("Credentials")
  if (made === "get" && callee?.fields.object) {
    const from = bindingOfValue(callee.fields.object, scope);
    if (from.kind === "assumed") return from;
  }
  return { kind: "other" };
}

/**
 * Who signs what a call makes (a client, a session): the execution role when it passes no credentials;
 * an assumed role when its session token is read from an AssumeRole result; other credentials else.
 */
function signerOf(call: PyNode, scope: Map<string, Binding>): Signer {
  const keywords = keywordNames(call);
  if (!CREDENTIAL_KEYWORDS.some((keyword) => keywords.has(keyword))) return { credentials: "execution-role" };
  const token = keywordValue(call, "aws_session_token");
  const from = token ? bindingOfValue(token, scope) : undefined;
  return from?.kind === "assumed" ? { credentials: "other", assumedAt: from.at } : { credentials: "other" };
}

/** `x.batch_writer(...)`: boto3's DynamoDB batch writer. */
function isBatchWriter(node: PyNode): boolean {
  return (
    node.type === "call" && node.fields.function?.type === "attribute" && node.fields.function.fields.attribute?.text === "batch_writer"
  );
}

/** Two bindings are the same when this is (a resource's identifiers are a Map). */
function bindingKey(binding: Binding): string {
  return JSON.stringify(binding, (_, value: unknown) => (value instanceof Map ? [...value] : value));
}

function serviceResource(service: string, signer: Signer): Binding {
  return { kind: "resource", resource: { service, ...signer, type: "", identifiers: new Map() } };
}

/** A call's keyword arguments (and positional ones its method is known to take) as inputs. */
function inputOf(call: PyNode, scope: Map<string, Binding>, positionalInputs: Record<number, string>): Map<string, InputValue> {
  const input = new Map<string, InputValue>();
  const args = call.fields.arguments?.children ?? [];
  args
    .filter((arg) => arg.type !== "keyword_argument" && arg.type !== "comment")
    .forEach((arg, index) => {
      const name = positionalInputs[index];
      if (name) input.set(name, valueOf(arg, scope));
    });
  for (const arg of args) {
    if (arg.type === "keyword_argument" && arg.fields.name && arg.fields.value)
      input.set(arg.fields.name.text, valueOf(arg.fields.value, scope));
    // **kwargs may set any input: none is known.
    if (arg.type === "dictionary_splat") return new Map([...input].map(([key]) => [key, { kind: "unknown" }]));
  }
  return input;
}

/** A literal string, an environment variable (`os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")`), or unknown. */
function valueOf(node: PyNode, scope: Map<string, Binding>): InputValue {
  const literal = stringLiteral(node);
  if (literal !== undefined) return { kind: "literal", text: literal };
  const isEnviron = (value: PyNode | undefined) =>
    (value?.type === "identifier" && scope.get(value.text)?.kind === "environ") ||
    (value?.type === "attribute" &&
      value.fields.attribute?.text === "environ" &&
      value.fields.object?.type === "identifier" &&
      scope.get(value.fields.object.text)?.kind === "os");
  if (node.type === "subscript" && isEnviron(node.fields.value)) {
    const name = stringLiteral(node.fields.subscript);
    if (name !== undefined) return { kind: "env", name };
  }
  if (node.type === "call") {
    const callee = node.fields.function;
    const isGet = callee?.type === "attribute" && callee.fields.attribute?.text === "get" && isEnviron(callee.fields.object);
    const isGetenv =
      (callee?.type === "identifier" && scope.get(callee.text)?.kind === "getenv") ||
      (callee?.type === "attribute" &&
        callee.fields.attribute?.text === "getenv" &&
        callee.fields.object?.type === "identifier" &&
        scope.get(callee.fields.object.text)?.kind === "os");
    // With a default, the variable may be unset and the default used: only the variable alone is known.
    const args = positional(node);
    const name = stringLiteral(args[0]);
    if ((isGet || isGetenv) && name !== undefined && args.length === 1) return { kind: "env", name };
  }
  return { kind: "unknown" };
}

/** The text of a plain string literal (no interpolation, no concatenation), else undefined. */
function stringLiteral(node: PyNode | undefined): string | undefined {
  if (node?.type !== "string") return undefined;
  const parts = node.children;
  if (parts.some((part) => part.type === "interpolation")) return undefined;
  const start = parts.find((part) => part.type === "string_start")?.text ?? "";
  if (/[bf]/iu.test(start)) return undefined;
  const content = parts.filter((part) => part.type === "string_content").map((part) => part.text);
  if (parts.some((part) => part.type === "escape_sequence")) return undefined;
  return content.join("");
}

function positional(call: PyNode): PyNode[] {
  return (call.fields.arguments?.children ?? []).filter((arg) => arg.type !== "keyword_argument" && arg.type !== "comment");
}

function keywordNames(call: PyNode): Set<string> {
  return new Set(
    (call.fields.arguments?.children ?? []).flatMap((arg) =>
      arg.type === "keyword_argument" && arg.fields.name ? [arg.fields.name.text] : [],
    ),
  );
}

function keywordValue(call: PyNode, name: string): PyNode | undefined {
  return call.fields.arguments?.children.find((arg) => arg.type === "keyword_argument" && arg.fields.name?.text === name)?.fields.value;
}

function parametersOf(definition: PyNode): string[] {
  return (definition.fields.parameters?.children ?? []).flatMap((parameter) => {
    const name =
      parameter.type === "identifier"
        ? parameter
        : (parameter.fields.name ?? parameter.children.find((child) => child.type === "identifier"));
    return name ? [name.text] : [];
  });
}

function targetNames(node: PyNode | undefined): string[] {
  if (!node) return [];
  if (node.type === "identifier") return [node.text];
  return node.children.flatMap(targetNames);
}

function dottedText(node: PyNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "identifier") return node.text;
  if (node.type === "dotted_name") return node.children.map((child) => child.text).join(".");
  return undefined;
}
