import { createRequire } from "node:module";

/** The package's name, version and repository, read once from its package.json: what every part that names the package uses. */
const manifest = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

export const PACKAGE_NAME = manifest.name;
export const PACKAGE_VERSION = manifest.version;
export const REPOSITORY_URL = "https://github.com/lambda-iam/eslint-plugin-lambda-iam";
