import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PYTHON_APP_FINDINGS } from "../examples.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const require = createRequire(import.meta.url);

interface Diagnostic {
  range: { start: { line: number; character: number } };
  code?: string | { value: string };
  message: string;
}

/**
 * The ESLint language server the VS Code extension runs (vscode-eslint's, as vscode-langservers-extracted
 * ships it), spoken to over stdio as the editor does: it asks for its settings, and answers the editor's
 * requests for a document's diagnostics (LSP pull diagnostics, as VS Code asks).
 */
class EslintServer {
  readonly #server: ChildProcessWithoutNullStreams;
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  readonly #pending = new Map<number, (result: unknown) => void>();

  constructor(readonly workspace: string) {
    const bin = path.join(
      path.dirname(require.resolve("vscode-langservers-extracted/package.json")),
      "bin",
      "vscode-eslint-language-server",
    );
    this.#server = spawn(process.execPath, [bin, "--stdio"], { cwd: workspace });
    this.#server.stdout.on("data", (chunk: Buffer) => this.#read(chunk));
  }

  #send(message: object): void {
    const body = JSON.stringify({ jsonrpc: "2.0", ...message });
    this.#server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.#nextId++;
    this.#send({ id, method, params });
    return new Promise((resolve) => this.#pending.set(id, resolve));
  }

  notify(method: string, params: unknown): void {
    this.#send({ method, params });
  }

  /** A document's diagnostics, as the editor pulls them. */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = (await this.request("textDocument/diagnostic", { textDocument: { uri } })) as { items: Diagnostic[] };
    return report.items;
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      const length = Number(/Content-Length: (\d+)/iu.exec(this.#buffer.subarray(0, end).toString())?.[1]);
      if (this.#buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.#buffer.subarray(end + 4, end + 4 + length).toString()) as {
        id?: number;
        method?: string;
        result?: unknown;
      };
      this.#buffer = this.#buffer.subarray(end + 4 + length);
      this.#handle(message);
    }
  }

  #handle(message: { id?: number; method?: string; result?: unknown }): void {
    if (message.method === undefined && message.id !== undefined) {
      this.#pending.get(message.id)?.(message.result);
      return;
    }
    if (message.method === "workspace/configuration") {
      const folder = pathToFileURL(this.workspace).href;
      const settings = {
        validate: "on",
        run: "onType",
        useFlatConfig: true,
        experimental: {},
        workingDirectory: { mode: "location" },
        workspaceFolder: { uri: folder, name: "project" },
        nodePath: null,
        onIgnoredFiles: "off",
        options: {},
        rulesCustomizations: [],
        quiet: false,
        format: false,
        problems: { shortenToSingleLine: false },
        codeAction: { disableRuleComment: { enable: true, location: "separateLine" }, showDocumentation: { enable: true } },
        codeActionOnSave: { enable: false, mode: "all" },
      };
      this.#send({ id: message.id, result: [settings] });
      return;
    }
    // Any other request of the server (registrations, progress): acknowledged.
    if (message.id !== undefined && message.method !== undefined) this.#send({ id: message.id, result: null });
  }

  stop(): void {
    this.#server.kill();
  }
}

describe("in the editor: the VS Code ESLint extension's language server", () => {
  const workspace = mkdtempSync(path.join(tmpdir(), "lambda-iam-editor-"));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it("reports the findings of a Python handler at the call's line and column", { timeout: 30_000 }, async () => {
    // A sam init-style project with the README's flat config, its packages linked as npm would install them.
    cpSync(path.join(root, "examples/python-app"), workspace, { recursive: true });
    mkdirSync(path.join(workspace, "node_modules"));
    symlinkSync(root, path.join(workspace, "node_modules", "eslint-plugin-lambda-iam"));
    symlinkSync(path.join(root, "node_modules", "eslint"), path.join(workspace, "node_modules", "eslint"));
    writeFileSync(
      path.join(workspace, "eslint.config.js"),
      'import lambdaIam from "eslint-plugin-lambda-iam";\n\nexport default [...lambdaIam.configs.recommended];\n',
    );
    writeFileSync(path.join(workspace, "package.json"), '{ "type": "module" }\n');
    const server = new EslintServer(workspace);
    try {
      const folder = pathToFileURL(workspace).href;
      await server.request("initialize", {
        processId: process.pid,
        rootUri: folder,
        workspaceFolders: [{ uri: folder, name: "project" }],
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { diagnostic: {} } },
      });
      server.notify("initialized", {});
      const handler = path.join(workspace, "hello_world", "app.py");
      const uri = pathToFileURL(handler).href;
      server.notify("textDocument/didOpen", {
        textDocument: { uri, languageId: "python", version: 1, text: readFileSync(handler, "utf8") },
      });
      const diagnostics = await server.diagnostics(uri);
      expect(
        diagnostics.map((diagnostic) => [
          typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code,
          diagnostic.range.start.line + 1,
          diagnostic.range.start.character + 1,
          diagnostic.message.split(";")[0],
        ]),
      ).toEqual(PYTHON_APP_FINDINGS);
      // The template is fixed and saved: ESLint re-lints only the file edited, so the open handler keeps its
      // findings until it is touched (the README's workaround); asked again after an edit, it is clean.
      const template = path.join(workspace, "template.yaml");
      writeFileSync(
        template,
        readFileSync(template, "utf8").replace(
          "        - DynamoDBReadPolicy:\n            TableName: !Ref Orders\n",
          "        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n        - Statement: [{Effect: Allow, Action: s3:ListAllMyBuckets, Resource: '*'}]\n",
        ),
      );
      server.notify("textDocument/didChange", {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: `${readFileSync(handler, "utf8")}\n` }],
      });
      expect(await server.diagnostics(uri)).toEqual([]);
    } finally {
      server.stop();
    }
  });
});
