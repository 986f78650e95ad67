import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../src/language/parse.js";
import type { Plain } from "./plain-values.js";
import { firstDifference, plainOfTree, referenceValue, textOfTree } from "./plain-values.js";

/**
 * The guard against a parser that loses or garbles part of a file: for every corpus file a reference
 * loader accepts, our tree must hold exactly the reference's values, key by key.
 */
const corpus = fileURLToPath(new URL("../../../shared/corpus", import.meta.url));
const present = existsSync(corpus);
if (!present) console.warn(`Corpus equivalence skipped: ${corpus} is absent (CI and the dev machines have it beside the checkout).`);

/** PyYAML reads flow collections indented less than YAML 1.2 allows, as CloudFormation and cfn-lint do. */
const PYYAML_TEXT_LOADER = `
import json, sys, yaml
class Loader(yaml.BaseLoader):
    pass
def tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"!" + suffix: value}
yaml.add_multi_constructor("!", tagged, Loader=Loader)
out = {}
for name in json.load(sys.stdin):
    try:
        with open(name, encoding="utf-8-sig") as f:
            out[name] = {"value": yaml.load(f, Loader=Loader)}
    except Exception as error:
        out[name] = {"error": str(error)}
json.dump(out, sys.stdout)
`;

function loadWithPyYaml(files: string[]): Record<string, { value?: Plain; error?: string }> {
  const loaded = spawnSync("python3", ["-c", PYYAML_TEXT_LOADER], { input: JSON.stringify(files), encoding: "utf8", maxBuffer: 1 << 28 });
  expect(loaded.stderr).toBe("");
  return JSON.parse(loaded.stdout) as Record<string, { value?: Plain; error?: string }>;
}
const pyyaml = spawnSync("python3", ["-c", "import yaml"], { encoding: "utf8" }).status === 0;
if (!pyyaml) console.warn("Flow-indentation files are compared with PyYAML, which is not installed here (cfn-lint brings it).");

function corpusFiles(): string[] {
  return readdirSync(corpus, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(?:ya?ml|json|template)$/u.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

describe.skipIf(!present)("every corpus file a reference loader accepts", () => {
  const files = corpusFiles();
  /** Files the `yaml` library rejects and we read: flow collections indented as CloudFormation allows. */
  const reindented: string[] = [];
  /** Files the `yaml` library reads and we refuse with a located parse error. */
  const refused: string[] = [];

  it("has exactly the values of the yaml library's toJS in our tree", { timeout: 120_000 }, () => {
    expect(files.length).toBeGreaterThan(2500);
    const differences: string[] = [];
    let compared = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const reference = referenceValue(text);
      const ours = parseTemplate(text);
      const name = path.relative(corpus, file);
      if (!reference) {
        if (ours.ok && ours.ast.body) reindented.push(file);
        continue;
      }
      compared++;
      if (!ours.ok) refused.push(file);
      else {
        const difference = firstDifference(ours.ast.body ? plainOfTree(ours.ast.body) : null, reference.value);
        if (difference) differences.push(`${name}: ${difference}`);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(2400);
  });

  it.skipIf(!pyyaml)("has, for files read with re-indented flow collections, exactly PyYAML's values", () => {
    expect(reindented.length).toBeGreaterThan(0);
    const loaded = loadWithPyYaml(reindented);
    const differences: string[] = [];
    for (const file of reindented) {
      const ours = parseTemplate(readFileSync(file, "utf8"));
      const body = ours.ok ? ours.ast.body : null;
      const { value, error } = loaded[file]!;
      const difference = error ?? (body ? firstDifference(textOfTree(body), value!) : "we read no document");
      if (difference) differences.push(`${path.relative(corpus, file)}: ${difference}`);
    }
    expect(differences).toEqual([]);
  });

  it.skipIf(!pyyaml)("is refused by us only where PyYAML cannot read it either", () => {
    expect(refused.length).toBeGreaterThan(0);
    const loaded = loadWithPyYaml(refused);
    const readable = refused.filter((file) => loaded[file]!.error === undefined).map((file) => path.relative(corpus, file));
    expect(readable).toEqual([]);
  });
});
