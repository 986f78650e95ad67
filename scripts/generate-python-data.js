// Writes the data the Python reader needs (src/data/boto3-clients.json and the Python grammar), from
// botocore's service models, boto3's resource models and tree-sitter-python (a devDependency). botocore
// and boto3 are found through `python3 -c "import botocore, boto3"` (pip's, or Debian's python3-botocore
// and python3-boto3), or BOTOCORE_DIR and BOTO3_DIR.
// Run `npm run generate-python-data` when either changes; the output is committed.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";

const root = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const botocore =
  process.env.BOTOCORE_DIR ??
  execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();
const boto3 =
  process.env.BOTO3_DIR ??
  execFileSync("python3", ["-c", "import boto3, os; print(os.path.dirname(boto3.__file__))"], { encoding: "utf8" }).trim();
const boto3Version = execFileSync("python3", ["-c", "import boto3; print(boto3.__version__)"], { encoding: "utf8" }).trim();
const botocoreVersion = execFileSync("python3", ["-c", "import botocore; print(botocore.__version__)"], { encoding: "utf8" }).trim();
const sdkActions = JSON.parse(readFileSync(path.join(root, "src/data/sdk-actions.json"), "utf8"));

/** botocore's own xform_name: `ListObjectsV2` → `list_objects_v2`, `DescribeDBInstances` → `describe_db_instances`. */
function xformName(name) {
  const partial = name.replace(/(.)([A-Z][a-z]+)/gu, "$1_$2");
  return partial.replace(/([a-z0-9])([A-Z])/gu, "$1_$2").toLowerCase();
}

/** The newest API version's file of a service, read whole (gzipped or not). */
function modelFile(service, name) {
  const versions = readdirSync(path.join(botocore, "data", service)).sort();
  const directory = path.join(botocore, "data", service, versions[versions.length - 1]);
  for (const file of [name, `${name}.gz`]) {
    const full = path.join(directory, file);
    if (existsSync(full)) return JSON.parse((file.endsWith(".gz") ? gunzipSync(readFileSync(full)) : readFileSync(full)).toString("utf8"));
  }
  return undefined;
}

/** The v3 package of a service, as the AWS SDK for JavaScript names it from the serviceId. */
function v3Package(serviceId) {
  return `@aws-sdk/client-${serviceId.toLowerCase().replace(/\s+/gu, "-")}`;
}

const clients = {};
for (const service of readdirSync(path.join(botocore, "data")).sort()) {
  if (!existsSync(path.join(botocore, "data", service)) || service.endsWith(".json")) continue;
  let model;
  try {
    model = modelFile(service, "service-2.json");
  } catch {
    continue;
  }
  if (!model?.metadata?.serviceId) continue;
  const packageName = v3Package(model.metadata.serviceId);
  if (!(packageName in sdkActions)) continue;
  const methods = Object.fromEntries(Object.keys(model.operations).map((operation) => [xformName(operation), operation]));
  const waiters = modelFile(service, "waiters-2.json")?.waiters ?? {};
  clients[service] = {
    package: packageName,
    methods,
    waiters: Object.fromEntries(Object.entries(waiters).map(([name, waiter]) => [xformName(name), waiter.operation])),
    ...resourcesOf(service),
  };
}

/** A request of a resource model: its operation, and the parameters its identifiers (or constants) fill. */
function request(model) {
  const params = {};
  for (const param of model.params ?? []) {
    // Only plain members: `Key.id` style paths and request parameters from the response are not inputs we compare.
    if (param.source === "identifier" && /^\w+$/u.test(param.target)) params[param.target] = { identifier: param.name };
    else if (param.source === "string" && /^\w+$/u.test(param.target)) params[param.target] = { literal: String(param.value) };
  }
  return { operation: model.operation, params };
}

/**
 * boto3's resources of a service (`boto3.resource("dynamodb").Table(name).put_item(...)`): for the service
 * and each resource type, its identifiers, the actions (method → request), the sub-resources it makes
 * (`Bucket(name).Object(key)`: which identifiers come from the call and which from the parent), its
 * collections (`bucket.objects.all()` → ListObjects) and its load request.
 */
function resourcesOf(service) {
  const directory = path.join(boto3, "data", service);
  if (!existsSync(directory)) return {};
  const versions = readdirSync(directory).sort();
  const model = JSON.parse(readFileSync(path.join(directory, versions[versions.length - 1], "resources-1.json"), "utf8"));
  const describe = (resource) => ({
    identifiers: (resource.identifiers ?? []).map((identifier) => identifier.name),
    actions: Object.fromEntries(Object.entries(resource.actions ?? {}).map(([name, action]) => [xformName(name), request(action.request)])),
    has: Object.fromEntries(
      Object.entries(resource.has ?? {}).map(([name, sub]) => [
        name,
        {
          type: sub.resource.type,
          identifiers: sub.resource.identifiers.map((identifier) =>
            identifier.source === "identifier" ? { target: identifier.target, parent: identifier.name } : { target: identifier.target },
          ),
        },
      ]),
    ),
    collections: Object.fromEntries(
      Object.entries(resource.hasMany ?? {}).map(([name, collection]) => [xformName(name), request(collection.request)]),
    ),
    ...(resource.load ? { load: request(resource.load.request) } : {}),
  });
  // The service resource makes every resource type from its identifiers (`s3.Object(bucket, key)`), not only those it lists.
  const serviceResource = describe(model.service);
  for (const [name, resource] of Object.entries(model.resources)) {
    serviceResource.has[name] ??= {
      type: name,
      identifiers: (resource.identifiers ?? []).map((identifier) => ({ target: identifier.name })),
    };
  }
  return {
    resource: serviceResource,
    resourceTypes: Object.fromEntries(Object.entries(model.resources).map(([name, resource]) => [name, describe(resource)])),
  };
}

writeFileSync(
  path.join(root, "src/data/boto3-clients.json"),
  `${JSON.stringify({ notice: `Derived from botocore ${botocoreVersion} and boto3 ${boto3Version} (Apache-2.0): see THIRD_PARTY_NOTICES`, clients }, null, 1)}\n`,
);
// Python's own modules: a handler that imports only these, boto3 and its own modules is read whole.
const stdlib = JSON.parse(
  execFileSync("python3", ["-c", "import json, sys; print(json.dumps([sys.version_info[:2], sorted(sys.stdlib_module_names)]))"], {
    encoding: "utf8",
  }),
);
writeFileSync(
  path.join(root, "src/data/python-stdlib.json"),
  `${JSON.stringify({ notice: `sys.stdlib_module_names of Python ${stdlib[0].join(".")} (PSF License): see THIRD_PARTY_NOTICES`, modules: stdlib[1] }, null, 1)}\n`,
);
copyFileSync(require.resolve("tree-sitter-python/tree-sitter-python.wasm"), path.join(root, "src/data/tree-sitter-python.wasm"));
console.log(
  `boto3-clients.json: ${Object.keys(clients).length} services from botocore ${botocoreVersion}, resources of ${Object.values(clients).filter((client) => client.resource).length} from boto3 ${boto3Version}; tree-sitter-python.wasm copied`,
);
