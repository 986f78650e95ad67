import path from "node:path";
import type { Workspace } from "../analyzers/workspace.js";
import { jsonValueAt } from "../language/json-location.js";
import type { LoadedTemplate, NamedBy, ProjectFiles } from "./project-files.js";

/**
 * `settings["lambda-iam"].accounts`: the account each template deploys to, by the template's path
 * relative to the working directory (`{ "app/template.yaml": "111111111111" }`), optionally with the
 * name of its stack (`{ "data/template.yaml": { account: "222222222222", stackName: "data" } }`), which
 * `Fn::GetStackOutput` names; a template deployed to several accounts (StackSets, a pipeline's stages)
 * takes a list of them. A template never states its own account; without this map, which account a
 * template is in stays unknown.
 */
export type AccountMap = Record<string, Placed | Placed[]>;
type Placed = string | { account: string; stackName?: string };

/** Where a template deploys: its account, and its stack's name when known. */
interface Placement {
  file: string;
  account: string;
  stackName: string | undefined;
  /** What names the template: the setting, or the manifest and where in it. */
  from: NamedBy;
}

const ACCOUNT_ID = /^\d{12}$/u;

/** The map's placements, with paths resolved; entries that `accountsSettingProblems` reports are left out. */
function placements(accounts: AccountMap | undefined, root: string): Placement[] {
  return Object.entries(accounts ?? {}).flatMap(([template, placed]) =>
    (Array.isArray(placed) ? placed : [placed]).flatMap((one) => {
      const account = typeof one === "string" ? one : one?.account;
      const stackName = typeof one === "object" && typeof one?.stackName === "string" ? one.stackName : undefined;
      return typeof account === "string" && ACCOUNT_ID.test(account)
        ? [{ file: path.resolve(root, template), account, stackName, from: 'the "accounts" setting' }]
        : [];
    }),
  );
}

/**
 * What is wrong with the `accounts` setting, a sentence each: a path that is no file inside the linted
 * root (but the file being linted), an account that is not a 12-digit AWS account ID, a stack name that is not a string. Such an
 * entry places no template: the checks it was meant for do not run, and these sentences say so.
 */
export function accountsSettingProblems(accounts: unknown, files: ProjectFiles, linted?: string): string[] {
  if (accounts === undefined) return [];
  if (!accounts || typeof accounts !== "object" || Array.isArray(accounts)) {
    return ['the "accounts" setting is not a map of template paths to accounts, so no template\'s account is known'];
  }
  return Object.entries(accounts).flatMap(([template, placed]) => {
    const problems: string[] = [];
    const file = path.resolve(files.root, template);
    // The file being linted may not be on disk yet (an editor's new file, standard input).
    if (file !== (linted && path.resolve(files.root, linted)) && !files.isFileInside(file)) {
      problems.push(`the "accounts" setting names ${template}, which is no file inside ${files.root}: it places no template`);
    }
    for (const one of Array.isArray(placed) ? placed : [placed]) {
      const account: unknown = typeof one === "object" && one !== null ? (one as { account?: unknown }).account : one;
      const stackName: unknown = typeof one === "object" && one !== null ? (one as { stackName?: unknown }).stackName : undefined;
      if (typeof account !== "string" || !ACCOUNT_ID.test(account)) {
        problems.push(
          `the "accounts" setting gives ${template} the account ${JSON.stringify(account)}, which is not a 12-digit AWS account ID: it is ignored`,
        );
      }
      if (stackName !== undefined && typeof stackName !== "string") {
        problems.push(
          `the "accounts" setting gives ${template} the stack name ${JSON.stringify(stackName)}, which is not a string: it is ignored`,
        );
      }
    }
    return problems;
  });
}

/**
 * The accounts a template file deploys to: the map's, or, for a template the AWS CDK synthesized, its
 * stack's environment in the assembly's `manifest.json` (`aws://111111111111/us-east-1`; an
 * environment-agnostic stack has none).
 */
function accountsOf(accounts: AccountMap | undefined, files: ProjectFiles, file: string): string[] {
  const resolved = path.resolve(files.root, file);
  const placed = placements(accounts, files.root).filter((placement) => placement.file === resolved);
  const found =
    placed.length > 0 ? placed : stackPlacements(path.dirname(resolved), files).filter((placement) => placement.file === resolved);
  return [...new Set(found.map((placement) => placement.account))];
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
function templatesInAccount(
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
function stackTemplate(
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
 * What a rule sees of the repository beside a template, once for each account it deploys to (one
 * workspace, of no account, when none is known): the file's account, and the other templates of an
 * account, read through the rules' cache (computed when first asked).
 */
export function fileWorkspaces(accounts: AccountMap | undefined, files: ProjectFiles, file: string): Workspace[] {
  const shown = (template: LoadedTemplate) => ({ file: files.display(template.file), analysis: template.analysis });
  const other = (template: LoadedTemplate) => path.resolve(template.file) !== path.resolve(files.root, file);
  const inAccount = (account: string | undefined): Workspace => ({
    account,
    templatesIn(id) {
      return templatesInAccount(accounts, files, id, file)?.filter(other).map(shown);
    },
    stack(id, stackName) {
      const template = stackTemplate(accounts, files, id, stackName, file);
      return template && other(template) ? shown(template) : undefined;
    },
  });
  const placed = accountsOf(accounts, files, file);
  return placed.length > 0 ? placed.map(inAccount) : [inAccount(undefined)];
}
