import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
/** A template as the examples name them: `template.yaml`, or a CDK app's synthesized `Stack.template.json`. */
const TEMPLATE_NAME = /^(?:template|[\w-]+\.template)\.(?:ya?ml|json)$/u;

/** The folders under examples/ that hold a template (some examples are a project of several), relative to examples/. */
export function exampleFolders(): string[] {
  const found: string[] = [];
  const visit = (relative: string) => {
    const entries = readdirSync(path.join(root, "examples", relative), { withFileTypes: true });
    if (entries.some((entry) => entry.isFile() && TEMPLATE_NAME.test(entry.name))) found.push(relative);
    for (const entry of entries) if (entry.isDirectory() && entry.name !== "src") visit(path.join(relative, entry.name));
  };
  visit("");
  return found.sort();
}

/** The template of an example folder, as an absolute path. */
export function exampleTemplate(folder: string): string {
  const directory = path.join(root, "examples", folder);
  return path.join(
    directory,
    readdirSync(directory).find((file) => TEMPLATE_NAME.test(file))!,
  );
}
