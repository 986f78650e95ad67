// Whole-template benchmarks: the CLI against cfn-lint, the lint against the bare YAML parse (its floor),
// a warm re-lint, scaling with template size, and peak memory.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import { parseDocument } from "yaml";
import plugin from "../dist/index.js";
import { createTemplateEslint } from "../dist/cli/main.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const corpus = path.join(root, "../shared/corpus");
const patterns = path.join(corpus, "serverless-patterns");
const bin = path.join(root, "dist/cli/bin.js");

function seconds(command, args) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (result.error) throw result.error;
  return (performance.now() - started) / 1000;
}

/** The fastest of `runs` runs of a whole process, in seconds. */
function fastest(command, args, runs = 3) {
  return Math.min(...Array.from({ length: runs }, () => seconds(command, args)));
}

const patternFiles = () =>
  readdirSync(patterns)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => path.join(patterns, file));

export function cliVersusCfnLint() {
  const files = patternFiles();
  const ours = fastest(process.execPath, [bin, patterns, "-f", "json", "-o", "/dev/null"]);
  const cfnLint = seconds("cfn-lint", ["--format", "parseable", ...files]);
  const ratio = cfnLint / ours;
  return {
    name: `CLI vs cfn-lint 1.51 on ${files.length} serverless-patterns templates (whole process each)`,
    value: `${ours.toFixed(2)} s vs ${cfnLint.toFixed(1)} s = ${ratio.toFixed(1)}x faster`,
    target: ">= 25x",
    met: ratio >= 25,
  };
}

export function cliVersusBareParse() {
  const ours = fastest(process.execPath, [bin, patterns, "-f", "json", "-o", "/dev/null"], 5);
  const bare = fastest(process.execPath, [path.join(root, "bench/bare-parse.js"), patterns], 5);
  const ratio = ours / bare;
  return {
    name: `CLI vs a process that only parses the same ${patternFiles().length} files with yaml's parseDocument`,
    value: `${ours.toFixed(2)} s vs ${bare.toFixed(2)} s = ${ratio.toFixed(2)}x`,
    target: "<= 1.0x",
    met: ratio <= 1.0,
  };
}

export function lintVersusParse() {
  const files = patternFiles();
  const texts = files.map((file) => readFileSync(file, "utf8"));
  const parse = () => {
    const started = performance.now();
    for (const text of texts) parseDocument(text);
    return performance.now() - started;
  };
  const eslint = createTemplateEslint(patterns);
  const lint = async () => {
    const started = performance.now();
    await eslint.lintFiles(files);
    return performance.now() - started;
  };
  return (async () => {
    parse();
    await lint();
    const parseTime = Math.min(parse(), parse(), parse());
    const lintTime = Math.min(await lint(), await lint(), await lint());
    const ratio = lintTime / parseTime;
    return {
      name: `lint vs bare YAML parse of the same ${files.length} files (in process, warm)`,
      value: `${lintTime.toFixed(0)} ms vs ${parseTime.toFixed(0)} ms = ${ratio.toFixed(2)}x`,
      target: "<= 1.5x",
      met: ratio <= 1.5,
    };
  })();
}

export function warmRelint() {
  const text = readFileSync(path.join(root, "examples/event-source-permissions/template.yaml"), "utf8");
  const linter = new Linter({ configType: "flat" });
  const config = plugin.configs.recommended;
  const times = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    linter.verify(text, config, "template.yaml");
    times.push(performance.now() - started);
  }
  const warm = times.slice(50).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)];
  return { name: "median re-lint of one template in a warm Linter", value: `${median.toFixed(2)} ms`, target: "<= 2 ms", met: median <= 2 };
}

/** A template with `count` functions, each with its own role, queue, mapping, bucket and permission. */
function syntheticTemplate(count) {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Resources:"];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  Queue${i}:`,
      "    Type: AWS::SQS::Queue",
      `  Role${i}:`,
      "    Type: AWS::IAM::Role",
      "    Properties:",
      "      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}",
      "      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      "      Policies:",
      "        - PolicyName: poll",
      `          PolicyDocument: {Statement: [{Effect: Allow, Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: !GetAtt Queue${i}.Arn}]}`,
      `  Fn${i}:`,
      "    Type: AWS::Lambda::Function",
      "    Properties:",
      "      Runtime: python3.12",
      "      Handler: index.handler",
      "      Code: {ZipFile: 'def handler(e, c): pass'}",
      `      Role: !GetAtt Role${i}.Arn`,
      `  Mapping${i}:`,
      "    Type: AWS::Lambda::EventSourceMapping",
      `    Properties: {FunctionName: !Ref Fn${i}, EventSourceArn: !GetAtt Queue${i}.Arn}`,
      `  Bucket${i}:`,
      "    Type: AWS::S3::Bucket",
      "    Properties:",
      "      NotificationConfiguration:",
      `        LambdaConfigurations: [{Event: 's3:ObjectCreated:*', Function: !GetAtt Fn${i}.Arn}]`,
      `  Permission${i}:`,
      "    Type: AWS::Lambda::Permission",
      `    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn${i}, Principal: s3.amazonaws.com, SourceAccount: !Ref AWS::AccountId}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function scaling() {
  const linter = new Linter({ configType: "flat" });
  const config = plugin.configs.recommended;
  const time = (count) => {
    const text = syntheticTemplate(count);
    linter.verify(text, config, "template.yaml");
    const runs = [1, 2, 3].map(() => {
      const started = performance.now();
      linter.verify(text, config, "template.yaml");
      return performance.now() - started;
    });
    return Math.min(...runs);
  };
  const times = Object.fromEntries([100, 200, 400, 800].map((count) => [count, time(count)]));
  const ratio = times[800] / times[400];
  return {
    name: "synthetic templates with 100/200/400/800 functions (ms)",
    value: `${[100, 200, 400, 800].map((count) => times[count].toFixed(0)).join(" / ")}; 800/400 = ${ratio.toFixed(2)}`,
    target: "800/400 <= 2.1",
    met: ratio <= 2.1,
  };
}

export function peakMemory() {
  const result = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, bin, corpus, "-f", "json", "-o", "/dev/null"], {
    encoding: "utf8",
  });
  const kilobytes = Number(result.stderr.trim().split("\n").pop());
  const megabytes = kilobytes / 1024;
  return {
    name: "peak memory of the CLI over the whole corpus",
    value: `${megabytes.toFixed(0)} MB`,
    target: "<= 200 MB",
    met: megabytes <= 200,
  };
}
