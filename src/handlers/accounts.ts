import path from "node:path";
import type { LoadedTemplate } from "./template-cache.js";
import { loadTemplate } from "./template-cache.js";

/**
 * `settings["lambda-iam"].accounts`: the account each template deploys to, by the template's path
 * relative to the working directory (`{ "app/template.yaml": "111111111111" }`). A template
 * never states its own account; without this map, which account a template is in stays unknown.
 */
export type AccountMap = Record<string, string>;

const ACCOUNT_ID = /^\d{12}$/u;

/** The account of a template file, when the map gives one. */
export function accountOf(accounts: AccountMap | undefined, cwd: string, file: string): string | undefined {
  for (const [template, account] of Object.entries(accounts ?? {})) {
    if (ACCOUNT_ID.test(account) && path.resolve(cwd, template) === path.resolve(file)) return account;
  }
  return undefined;
}

/** The templates the map places in an account, parsed (through the handler rules' cache). */
export function templatesInAccount(accounts: AccountMap | undefined, cwd: string, account: string): LoadedTemplate[] {
  return Object.entries(accounts ?? {})
    .filter(([, id]) => id === account)
    .map(([template]) => loadTemplate(path.resolve(cwd, template)))
    .filter((template): template is LoadedTemplate => template !== undefined);
}
