// The IAM engine: 100,000 distinct questions against roles of 200 statements each (issue target: under
// 200 ms on the project's 2-core machine). Questions are distinct, so memoisation does not help.
import { Analysis } from "../dist/analyzers/analysis.js";
import { parseTemplate } from "../dist/language/parse.js";

const ROLES = 5;
const STATEMENTS = 200;
const QUESTIONS = 100_000;
const SERVICES = ["sqs", "sns", "s3", "dynamodb", "kinesis", "logs", "kms", "secretsmanager", "events", "lambda"];
const VERBS = ["Get", "Put", "Delete", "List", "Describe", "Send", "Receive", "Update", "Create", "Tag"];

function template() {
  const lines = ["Resources:"];
  for (let r = 0; r < ROLES; r++) {
    lines.push(
      `  Role${r}:`,
      "    Type: AWS::IAM::Role",
      "    Properties:",
      "      AssumeRolePolicyDocument: {}",
      "      Policies:",
      "        - PolicyName: Many",
      "          PolicyDocument:",
      "            Statement:",
    );
    for (let s = 0; s < STATEMENTS; s++) {
      const service = SERVICES[s % SERVICES.length];
      const verb = VERBS[(s * 7 + r) % VERBS.length];
      const effect = s % 23 === 0 ? "Deny" : "Allow";
      lines.push(
        `              - {Effect: ${effect}, Action: ["${service}:${verb}*", "${service}:${VERBS[(s + 3) % VERBS.length]}Item"], Resource: "arn:aws:${service}:us-east-1:123456789012:res-${s % 40}-*"}`,
      );
    }
    lines.push(`  Fn${r}:`, "    Type: AWS::Lambda::Function", `    Properties: {Role: !GetAtt Role${r}.Arn}`);
  }
  return lines.join("\n") + "\n";
}

export function benchIamEngine() {
  const outcome = parseTemplate(template());
  if (!outcome.ok) throw new Error(outcome.problem.message);
  const analysis = new Analysis(outcome.ast);
  const roles = analysis.functions.map((fn) => analysis.iam.roleOf(fn, fn.candidates[0]));
  const questions = [];
  for (let q = 0; q < QUESTIONS; q++) {
    const service = SERVICES[q % SERVICES.length];
    const action = `${service}:${VERBS[(q >> 3) % VERBS.length]}Thing${q % 7}`;
    questions.push([roles[q % ROLES], action, [{ text: `arn:aws:${service}:us-east-1:123456789012:res-${q % 50}-${q}` }]]);
  }
  // Warm up the JIT on a separate set, then time the distinct questions once.
  for (let q = 0; q < 2000; q++) roles[q % ROLES].evaluate(`sqs:Warm${q}`, [{ text: `arn:aws:sqs:us-east-1:1:w${q}` }]);
  const counts = {};
  const started = performance.now();
  for (const [role, action, resource] of questions) {
    const { outcome: answer } = role.evaluate(action, resource);
    counts[answer] = (counts[answer] ?? 0) + 1;
  }
  const milliseconds = performance.now() - started;
  return {
    name: `IAM engine: ${QUESTIONS.toLocaleString("en-US")} questions, ${ROLES} roles x ${STATEMENTS} statements`,
    value: `${milliseconds.toFixed(0)} ms`,
    target: "< 200 ms",
    met: milliseconds < 200,
    detail: counts,
  };
}
