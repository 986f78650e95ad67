import type { LambdaFunction } from "../wiring/functions.js";
import type { SdkCall } from "./calls.js";

/** An SDK call a function's code makes, and the file it is written in (as messages name it). */
export interface FunctionCall {
  call: SdkCall;
  file: string;
  line: number;
}

/**
 * All that a function's code can ask of its execution role, when the code is known whole: every AWS SDK
 * call that its handler reaches, through every module it loads. Otherwise why it is not known whole.
 */
export type FunctionCode = { kind: "whole"; calls: FunctionCall[] } | { kind: "partial"; why: string };

/** Reads a function's code (the handlers layer does: it reads files). */
export type FunctionCodeReader = (fn: LambdaFunction) => FunctionCode;
