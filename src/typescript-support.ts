/** The TypeScript versions typescript-eslint can parse with (the package's peer range): 4.8.4 to 6.0. TypeScript 7 is the Go port. */
export const SUPPORTED_TYPESCRIPT = "TypeScript < 6.1 (typescript-eslint parses up to 6.0)";

export function typescriptSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major < 6 || (major === 6 && minor === 0);
}
