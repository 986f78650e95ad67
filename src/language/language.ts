import type { File, Language, OkParseResult, ParseResult } from "@eslint/core";
import type { AnyNode, CommentToken, DocumentNode } from "./ast.js";
import { visitorKeys } from "./ast.js";
import { parseTemplate } from "./parse.js";
import { TemplateSourceCode } from "./source-code.js";

type TemplateParseResult = OkParseResult<DocumentNode> & { comments: CommentToken[] };

/**
 * ESLint language for CloudFormation and SAM templates written in YAML or JSON. Language options are
 * accepted and ignored: a config block meant for JavaScript (`languageOptions.globals`, `parser`, ...)
 * that also matches template files must not break them.
 */
export class TemplateLanguage implements Language<{
  LangOptions: Record<string, unknown>;
  Code: TemplateSourceCode;
  RootNode: DocumentNode;
  Node: AnyNode;
}> {
  readonly fileType = "text" as const;
  readonly lineStart = 1 as const;
  readonly columnStart = 1 as const;
  readonly nodeTypeKey = "type";
  readonly visitorKeys = visitorKeys;
  readonly defaultLanguageOptions = {};

  validateLanguageOptions(): void {}

  parse(file: File): ParseResult<DocumentNode> {
    const outcome = parseTemplate(String(file.body));
    if (!outcome.ok) return { ok: false, errors: [outcome.problem] };
    const result: TemplateParseResult = { ok: true, ast: outcome.ast, comments: outcome.comments };
    return result;
  }

  createSourceCode(file: File, parseResult: OkParseResult<DocumentNode>): TemplateSourceCode {
    const { comments } = parseResult as TemplateParseResult;
    return new TemplateSourceCode({ text: String(file.body), ast: parseResult.ast, comments, isYaml: /\.ya?ml$/iu.test(file.path) });
  }
}
