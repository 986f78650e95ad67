import type { SdkUsage } from "../analyzers/sdk/calls.js";
import type { ModuleFacts } from "../handlers/code/module-facts.js";
import { readBoto3Usage } from "./boto3-reader.js";
import { pythonModuleFacts } from "./module-facts.js";
import type { PyNode } from "./tree.js";
import { parsePython } from "./tree.js";

/** A Python file as the code rules read it: its units of reach and its boto3 usage, computed once. */
export interface PythonCode {
  facts: ModuleFacts;
  usage: SdkUsage;
}

const read = new WeakMap<PyNode, PythonCode>();

/** The code of a Python file ESLint parsed (its tree's root). */
export function pythonCodeOf(root: PyNode): PythonCode {
  let code = read.get(root);
  if (!code) {
    const facts = pythonModuleFacts(root);
    let usage: SdkUsage | undefined;
    code = {
      facts,
      get usage() {
        usage ??= readBoto3Usage(root);
        return usage;
      },
    };
    read.set(root, code);
  }
  return code;
}

/** The units of reach of a Python module read from disk (an import of a handler); throws when it is not valid Python. */
export function pythonFacts(text: string): ModuleFacts {
  const parsed = parsePython(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return pythonModuleFacts(parsed.root);
}
