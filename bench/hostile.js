// Hostile and huge inputs (issue #17): each is written to a temporary file and linted by the CLI in its
// own process, so that time and peak memory are those of one run. Targets: a 20 MB template in under 30 s
// and 1.5 GB; everything else under 8 s of CPU.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../dist/cli/bin.js", import.meta.url));
const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n';
const TRUST =
  "AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}";

/** One function with its role, queue, mapping, bucket notification and permission. */
function wiredUnit(i) {
  return `  Queue${i}:
    Type: AWS::SQS::Queue
  Role${i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: role-${i}
      ${TRUST}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
  Fn${i}:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: index.handler, Code: {ZipFile: x}, Role: !GetAtt Role${i}.Arn}
  Mapping${i}:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Fn${i}, EventSourceArn: !GetAtt Queue${i}.Arn}
  Bucket${i}:
    Type: AWS::S3::Bucket
    Properties: {NotificationConfiguration: {LambdaConfigurations: [{Event: 's3:ObjectCreated:*', Function: !GetAtt Fn${i}.Arn}]}}
  Permission${i}:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn${i}, Principal: s3.amazonaws.com, SourceAccount: !Ref AWS::AccountId}
`;
}

export const hostileCases = {
  "10,000 roles named by literal RoleName from 10,000 policies": () => {
    const parts = [HEAD];
    for (let i = 0; i < 10_000; i++) {
      parts.push(`  Role${i}:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: role-${i}, ${TRUST}}\n`);
      parts.push(
        `  Policy${i}:\n    Type: AWS::IAM::Policy\n    Properties: {PolicyName: p${i}, Roles: [role-${i}], PolicyDocument: {Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}}\n`,
      );
    }
    return parts.join("");
  },
  "100,000 tiny resources": () => HEAD + Array.from({ length: 100_000 }, (_, i) => `  Topic${i}:\n    Type: AWS::SNS::Topic\n`).join(""),
  "a 5 MB string as a policy Resource": () =>
    `${HEAD}  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ${TRUST}\n      Policies:\n        - PolicyName: p\n          PolicyDocument: {Statement: [{Effect: Allow, Action: 'logs:*', Resource: 'arn:aws:logs:${"x*".repeat(2_500_000)}'}]}\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.12, Handler: index.handler, Code: {ZipFile: x}, Role: !GetAtt Role.Arn}\n`,
  "30,000 verbatim-tagged scalars": () =>
    `${HEAD}  Topic:\n    Type: AWS::SNS::Topic\n    Metadata:\n${Array.from({ length: 30_000 }, (_, i) => `      K${i}: !<tag:yaml.org,2002:str> v${i}\n`).join("")}`,
  "an Fn::ForEach of a 50,000-value list default times 200 resources": () => {
    const values = Array.from({ length: 50_000 }, (_, i) => `v${i}`).join(",");
    const body = Array.from({ length: 200 }, (_, i) => `        Topic\${X}N${i}: {Type: AWS::SNS::Topic}\n`).join("");
    return `${HEAD.replace("Resources:\n", "")}Transform: AWS::LanguageExtensions\nParameters:\n  L: {Type: CommaDelimitedList, Default: "${values}"}\nResources:\n  Fn::ForEach::Topics:\n    - X\n    - !Ref L\n    -\n${body}`;
  },
  "a 20 MB template (wired units)": () => {
    const parts = [HEAD];
    let length = HEAD.length;
    for (let i = 0; length < 20 * 1024 * 1024; i++) {
      const unit = wiredUnit(i);
      parts.push(unit);
      length += unit.length;
    }
    return parts.join("");
  },
};

/** Lints one generated file in its own process: seconds of CPU, wall seconds, peak MB, exit code. */
export function lintGenerated(text) {
  const folder = mkdtempSync(path.join(tmpdir(), "lambda-iam-hostile-"));
  const file = path.join(folder, "template.yaml");
  writeFileSync(file, text);
  try {
    const result = spawnSync(
      "/usr/bin/time",
      ["-f", "%U %S %e %M", process.execPath, bin, file, "-f", "json", "-o", path.join(folder, "out.json")],
      { encoding: "utf8", timeout: 120_000 },
    );
    const [user, system, wall, kilobytes] = result.stderr.trim().split("\n").pop().split(" ").map(Number);
    return { cpu: user + system, wall, megabytes: kilobytes / 1024, status: result.status, stderr: result.stderr };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export function hostileInputs() {
  return Object.entries(hostileCases).map(([name, generate]) => {
    const text = generate();
    const { cpu, wall, megabytes, status } = lintGenerated(text);
    const huge = name.startsWith("a 20 MB");
    const met = status !== null && status <= 1 && (huge ? wall <= 30 && megabytes <= 1536 : cpu <= 8);
    return {
      name: `hostile input: ${name} (${(text.length / 1048576).toFixed(1)} MB)`,
      value: `${cpu.toFixed(1)} s CPU, ${wall.toFixed(1)} s, ${megabytes.toFixed(0)} MB, exit ${status ?? "killed"}`,
      target: huge ? "< 30 s, < 1.5 GB" : "< 8 s CPU",
      met,
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const result of hostileInputs())
    console.log(`| ${result.name} | ${result.value} | ${result.target} | ${result.met ? "yes" : "no"} |`);
}
