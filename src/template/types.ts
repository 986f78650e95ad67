// The template model's types, apart from model.ts that builds them, so that its parts share them without a circle.
import type { PairNode, ValueNode } from "../language/ast.js";
import type { Expr, ObjectExpr } from "./expr.js";

export interface Resource {
  logicalId: string;
  type: string;
  /** The `LogicalId: {...}` entry, for locating findings and suppressions. */
  node: PairNode;
  /** Properties as written, with SAM `Globals` merged in for SAM resources. */
  properties: ObjectExpr | undefined;
  condition: string | undefined;
  dependsOn: string[];
  metadata: Expr | undefined;
  /** The whole definition, for attributes the model does not name (SAM's embedded `Connectors`). */
  definition: ObjectExpr;
  /** Why some of its properties cannot be known (an `Fn::Transform` or `!Include` in them). */
  propertiesUnknown: string | undefined;
  /** The `Fn::ForEach::` loop that generates it: its text is the loop body, shared by every value. */
  loop: string | undefined;
  /** The parameter whose Default gave that loop its values: what is said about the resource assumes it. */
  loopAssumesDefault?: string;
}

/** A part of the template that this linter does not expand, and what it may add to it. */
export interface Unexpanded {
  /** What it is, as a noun phrase: "the CompanyMacro macro", "the Fn::ForEach::Topics loop". */
  what: string;
  node: ValueNode;
  /** The resource types it may add; undefined when it may add any resource. */
  adds: Set<string> | undefined;
  /** A macro that may rewrite the whole template, existing resources included. */
  rewrites: boolean;
}

export interface Parameter {
  name: string;
  type: string | undefined;
  allowedValues: string[] | undefined;
  /** The `AllowedPattern`, which the whole value must match. */
  allowedPattern: string | undefined;
  node: PairNode;
}

export interface Template {
  /** True when the template uses the SAM transform or any `AWS::Serverless::*` resource. */
  isSam: boolean;
  resources: Map<string, Resource>;
  parameters: Map<string, Parameter>;
  /** Condition name to its expression. */
  conditions: Map<string, Expr>;
  mappings: Expr | undefined;
  outputs: Expr | undefined;
  metadata: Expr | undefined;
  /** What the template holds that is not expanded here: whatever it may add or change is unknown. */
  unexpanded: Unexpanded[];
  /** `AWS::IAM::Role`s by the literal `RoleName` they give (a plain string, or `!Sub` of text only). */
  rolesByName: Map<string, Resource[]>;
}
