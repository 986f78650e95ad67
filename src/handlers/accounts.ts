import path from "node:path";
import type { Workspace } from "../analyzers/workspace.js";
import { jsonValueAt } from "../language/json-location.js";
import type { LoadedTemplate, NamedBy, ProjectFiles } from "./project-files.js";

/**
 * `settings["lambda-iam"].accounts`: the account each template deploys to, by the template's path
 * relative to the working directory (`{ "app/template.yaml": "111111111111" }`), and optionally the
 * name of its stack (`{ "data/template.yaml": { account: "222222222222", stackName: "data" } }`), which
 * `Fn::GetStackOutput` names. A template never states its own account; without this map, which account
 * a template is in stays unknown.
 */
export type AccountMap = Record<string, string | { account: string; stackName?: string }>;

/** Where a template deploys: its account, and its stack's name when known. */
interface Placement {
  file: string;
  account: string;
  stackName: string | undefined;
  /** What names the template: the setting, or the manifest and where in it. */
  from: NamedBy;
}

const ACCOUNT_ID = /^\d{12}$/u;

/** The map's placements, with paths resolved; entries without a 12-digit account are ignored. */
function placements(accounts: AccountMap | undefined, root: string): Placement[] {
  return Object.entries(accounts ?? {}).flatMap(([template, placed]) => {
    const account = typeof placed === "string" ? placed : placed?.account;
    const stackName = typeof placed === "object" && typeof placed?.stackName === "string" ? placed.stackName : undefined;
    return typeof account === "string" && ACCOUNT_ID.test(account)
      ? [{ file: path.resolve(root, template), account, stackName, from: 'the "accounts" setting' }]
      : [];
  });
}

/**
 * The account of a template file: the map's, or, for a template the AWS CDK synthesized, its stack's
 * environment in the assembly's `manifest.json` (`aws://111111111111/us-east-1`; an environment-agnostic
 * stack has none).
 */
export function accountOf(accounts: AccountMap | undefined, files: ProjectFiles, file: string): string | undefined {
  const resolved = path.resolve(files.root, file);
  return (
    placements(accounts, files.root).find((placement) => placement.file === resolved)?.account ??
    stackPlacements(path.dirname(resolved), files).find((placement) => placement.file === resolved)?.account
  );
}

/** Every placement known from a template's point of view: the map's, and its CDK assembly's stacks. */
function knownPlacements(accounts: AccountMap | undefined, files: ProjectFiles, near: string | undefined): Placement[] {
  return [...placements(accounts, files.root), ...(near ? stackPlacements(path.dirname(path.resolve(files.root, near)), files) : [])];
}

/**
 * The templates placed in an account, parsed (through the handler rules' cache): the map's, and the
 * stacks of that account in the CDK assembly of `near` (the template a function is in), if it is one.
 * Undefined when one of them cannot be read (missing, malformed, not a template): what that account
 * holds is then unknown.
 */
export function templatesInAccount(
  accounts: AccountMap | undefined,
  files: ProjectFiles,
  account: string,
  near?: string,
): LoadedTemplate[] | undefined {
  return loaded(
    knownPlacements(accounts, files, near).filter((placement) => placement.account === account),
    files,
  );
}

/** The one template deployed as the stack of that name in that account, if exactly one is known. */
export function stackTemplate(
  accounts: AccountMap | undefined,
  files: ProjectFiles,
  account: string,
  stackName: string,
  near?: string,
): LoadedTemplate | undefined {
  const templates = loaded(
    knownPlacements(accounts, files, near).filter((placement) => placement.account === account && placement.stackName === stackName),
    files,
  );
  return templates?.length === 1 ? templates[0] : undefined;
}

/** The placed templates parsed (each file once), or undefined when one of them cannot be read. */
function loaded(placed: Placement[], files: ProjectFiles): LoadedTemplate[] | undefined {
  const byFile = new Map(placed.map((placement) => [placement.file, placement]));
  const templates = [...byFile.values()].map((placement) => files.template(placement.file, placement.from));
  return templates.every((template) => template !== undefined) ? (templates as LoadedTemplate[]) : undefined;
}

/** The account and stack name of each stack template of a CDK cloud assembly directory, from its `manifest.json`. */
function stackPlacements(assembly: string, files: ProjectFiles): Placement[] {
  const manifestFile = path.join(assembly, "manifest.json");
  let text: string | undefined;
  let manifest: {
    artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  try {
    if (!files.entries(assembly, "the directory of the linted template")?.includes("manifest.json")) return [];
    text = files.text(manifestFile, `the CDK assembly ${files.display(assembly)}`);
    manifest = text === undefined ? {} : JSON.parse(text);
  } catch {
    return [];
  }
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, artifact]) => {
    const account = /^aws:\/\/(\d{12})\//u.exec(artifact.environment ?? "")?.[1];
    const template = artifact.properties?.templateFile;
    if (artifact.type !== "aws:cloudformation:stack" || !account || typeof template !== "string") return [];
    // Where the manifest names the template, for a message when that path is refused.
    const from = () => {
      const at = jsonValueAt(text!, ["artifacts", id, "properties", "templateFile"]);
      return `${files.display(manifestFile)}${at ? `:${at.line}:${at.column}` : ""}`;
    };
    // The stack's name is the artifact's id unless the manifest gives another.
    return [{ file: path.join(assembly, template), account, stackName: artifact.properties?.stackName ?? id, from }];
  });
}

/**
 * What a template rule sees of the repository beside the file it lints: the file's account, and the
 * other templates of an account, read through the handler rules' cache (computed when first asked).
 */
export function fileWorkspace(accounts: AccountMap | undefined, files: ProjectFiles, file: string): Workspace {
  let account: { id: string | undefined } | undefined;
  const shown = (template: LoadedTemplate) => ({ file: files.display(template.file), analysis: template.analysis });
  const other = (template: LoadedTemplate) => path.resolve(template.file) !== path.resolve(files.root, file);
  return {
    get account() {
      account ??= { id: accountOf(accounts, files, file) };
      return account.id;
    },
    templatesIn(id) {
      return templatesInAccount(accounts, files, id, file)?.filter(other).map(shown);
    },
    stack(id, stackName) {
      const template = stackTemplate(accounts, files, id, stackName, file);
      return template && other(template) ? shown(template) : undefined;
    },
  };
}
