import { describe, expect, it } from "vitest";
import { isMissingEslint } from "../../src/cli/missing-eslint.js";

/** An error as a module loader throws it. */
const loaderError = (code: string, message: string, more: object = {}) => Object.assign(new Error(message), { code, ...more });

describe("the CLI's test for a missing ESLint", () => {
  it.each([
    [
      "Node's ESM loader",
      loaderError(
        "ERR_MODULE_NOT_FOUND",
        "Cannot find package 'eslint' imported from /app/node_modules/eslint-plugin-lambda-iam/dist/cli/main.js",
      ),
    ],
    [
      "Yarn Plug'n'Play, ESLint a missing peer",
      loaderError(
        "MODULE_NOT_FOUND",
        "eslint-plugin-lambda-iam tried to access eslint (a peer dependency) but it isn't provided by your application; this makes the require call ambiguous and unsound.",
        { pnpCode: "MISSING_PEER_DEPENDENCY", data: { request: "eslint", issuerLocator: { name: "eslint-plugin-lambda-iam" } } },
      ),
    ],
    [
      "Yarn Plug'n'Play, the request in the message only",
      loaderError("ERR_MODULE_NOT_FOUND", "eslint-plugin-lambda-iam tried to access eslint, but it isn't declared in its dependencies", {
        pnpCode: "UNDECLARED_DEPENDENCY",
      }),
    ],
  ])("recognises %s", (_, error) => {
    expect(isMissingEslint(error)).toBe(true);
  });

  it.each([
    ["another missing package", loaderError("ERR_MODULE_NOT_FOUND", "Cannot find package 'yaml' imported from /app/dist/cli/main.js")],
    [
      "a package whose name starts like it",
      loaderError("ERR_MODULE_NOT_FOUND", "Cannot find package 'eslint-plugin-yml' imported from /app/x.js"),
    ],
    [
      "Plug'n'Play refusing another package",
      loaderError("MODULE_NOT_FOUND", "x tried to access yaml", { pnpCode: "UNDECLARED_DEPENDENCY", data: { request: "yaml" } }),
    ],
    ["a syntax error", new SyntaxError("Unexpected token")],
    ["no error object", "eslint"],
  ])("is not fooled by %s", (_, error) => {
    expect(isMissingEslint(error)).toBe(false);
  });
});
