import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Workspace } from "../analyzers/workspace.js";
import { displayPath } from "./matches.js";
import type { LoadedTemplate } from "./template-cache.js";
import { loadTemplate } from "./template-cache.js";

/**
 * `settings["lambda-iam"].accounts`: the account each template deploys to, by the template's path
 * relative to the working directory (`{ "app/template.yaml": "111111111111" }`). A template
 * never states its own account; without this map, which account a template is in stays unknown.
 */
export type AccountMap = Record<string, string>;

const ACCOUNT_ID = /^\d{12}$/u;

/**
 * The account of a template file: the map's, or, for a template the AWS CDK synthesized, its stack's
 * environment in the assembly's `manifest.json` (`aws://111111111111/us-east-1`; an environment-agnostic
 * stack has none).
 */
export function accountOf(accounts: AccountMap | undefined, cwd: string, file: string): string | undefined {
  for (const [template, account] of Object.entries(accounts ?? {})) {
    if (ACCOUNT_ID.test(account) && path.resolve(cwd, template) === path.resolve(file)) return account;
  }
  return stackAccounts(path.dirname(path.resolve(cwd, file))).get(path.basename(file));
}

/**
 * The templates placed in an account, parsed (through the handler rules' cache): the map's, and the
 * stacks of that account in the CDK assembly of `near` (the template a function is in), if it is one.
 */
export function templatesInAccount(accounts: AccountMap | undefined, cwd: string, account: string, near?: string): LoadedTemplate[] {
  const files = Object.entries(accounts ?? {})
    .filter(([, id]) => id === account)
    .map(([template]) => path.resolve(cwd, template));
  if (near) {
    const assembly = path.dirname(path.resolve(cwd, near));
    for (const [template, id] of stackAccounts(assembly)) if (id === account) files.push(path.join(assembly, template));
  }
  return [...new Set(files)].map((file) => loadTemplate(file)).filter((template): template is LoadedTemplate => template !== undefined);
}

/** The account of each stack template of a CDK cloud assembly directory, from its `manifest.json`. */
function stackAccounts(assembly: string): Map<string, string> {
  const accounts = new Map<string, string>();
  let manifest: { artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string } }> };
  try {
    if (!readdirSync(assembly).includes("manifest.json")) return accounts;
    manifest = JSON.parse(readFileSync(path.join(assembly, "manifest.json"), "utf8"));
  } catch {
    return accounts;
  }
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    const account = /^aws:\/\/(\d{12})\//u.exec(artifact.environment ?? "")?.[1];
    const template = artifact.properties?.templateFile;
    if (artifact.type === "aws:cloudformation:stack" && account && template) accounts.set(template, account);
  }
  return accounts;
}

/**
 * What a template rule sees of the repository beside the file it lints: the file's account, and the
 * other templates of an account, read through the handler rules' cache (computed when first asked).
 */
export function fileWorkspace(accounts: AccountMap | undefined, cwd: string, file: string): Workspace {
  let account: { id: string | undefined } | undefined;
  return {
    get account() {
      account ??= { id: accountOf(accounts, cwd, file) };
      return account.id;
    },
    templatesIn(id) {
      return templatesInAccount(accounts, cwd, id, file)
        .filter((template) => path.resolve(template.file) !== path.resolve(cwd, file))
        .map((template) => ({ file: displayPath(cwd, template.file), analysis: template.analysis }));
    },
  };
}
