import path from "node:path";
import { fileURLToPath } from "node:url";
import { readInside } from "../files/contained.js";

/** Where a construct was created, from a CDK stack trace frame. */
export interface CreationSite {
  file: string;
  line: number;
  column: number;
}

/**
 * Where the app created each construct of a synthesized template, by construct path
 * (`OrdersStack/Worker/Resource`): the CDK records a creation stack per resource when the app runs with
 * `CDK_DEBUG=true` (`cdk synth --debug`), in `<stack>.metadata.json` beside the template or in the
 * stack's entry of `manifest.json`. The first frame outside aws-cdk-lib and node_modules is the app's.
 * Those files are read only inside the linted root; a site's file is named, never read.
 */
export function creationSites(templateFile: string, root: string): Map<string, CreationSite> {
  const sites = new Map<string, CreationSite>();
  const metadata = stackMetadata(templateFile, root);
  for (const [constructPath, entries] of Object.entries(metadata ?? {})) {
    if (!Array.isArray(entries)) continue;
    const stack = entries.find((entry) => (entry as { type?: unknown }).type === "aws:cdk:creationStack") as { data?: unknown } | undefined;
    if (!Array.isArray(stack?.data)) continue;
    for (const frame of stack.data) {
      const site = typeof frame === "string" ? appFrame(frame) : undefined;
      if (site) {
        sites.set(constructPath.replace(/^\//u, ""), site);
        break;
      }
    }
  }
  return sites;
}

function stackMetadata(templateFile: string, root: string): Record<string, unknown> | undefined {
  const directory = path.dirname(templateFile);
  const stack = path.basename(templateFile).replace(/\.template\.json$/u, "");
  const read = (file: string): unknown => {
    const outcome = readInside(root, path.join(directory, file));
    try {
      return outcome.kind === "read" ? JSON.parse(outcome.bytes.toString("utf8")) : undefined;
    } catch {
      return undefined;
    }
  };
  const own = read(`${stack}.metadata.json`);
  if (own && typeof own === "object") return own as Record<string, unknown>;
  const artifacts = (
    read("manifest.json") as { artifacts?: Record<string, { properties?: { templateFile?: string }; metadata?: unknown }> }
  )?.artifacts;
  const artifact = Object.values(artifacts ?? {}).find((entry) => entry.properties?.templateFile === path.basename(templateFile));
  return artifact?.metadata && typeof artifact.metadata === "object" ? (artifact.metadata as Record<string, unknown>) : undefined;
}

/** `ordersApp (file:///app/lib/stack.ts:27:20)` or `/app/lib/stack.ts:27:20`, when it is the app's own code. */
function appFrame(frame: string): CreationSite | undefined {
  const match = /(?:\(|^)((?:file:\/\/)?[^():]*?[^\s():]+):(\d+):(\d+)\)?$/u.exec(frame.trim());
  if (!match || frame.includes("node_modules") || frame.startsWith("...")) return undefined;
  const file = match[1]!.startsWith("file://") ? fileURLToPath(match[1]!) : match[1]!;
  return path.isAbsolute(file) ? { file, line: Number(match[2]), column: Number(match[3]) } : undefined;
}
