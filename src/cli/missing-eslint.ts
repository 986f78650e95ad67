/**
 * Whether an error of importing the CLI says that ESLint (its peer dependency) is not installed: Node's
 * `Cannot find package 'eslint'`, or Yarn Plug'n'Play's refusal (`... tried to access eslint ...`, with
 * its `pnpCode` and the request in `data`), which Yarn's loader throws instead.
 */
export function isMissingEslint(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, message, pnpCode, data } = error as { code?: unknown; message?: unknown; pnpCode?: unknown; data?: { request?: unknown } };
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const text = typeof message === "string" ? message : "";
  if (pnpCode !== undefined) return data?.request === "eslint" || /\btried to access eslint\b/u.test(text);
  return /Cannot find (?:package|module) '(?:eslint)'/u.test(text);
}
