import { describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyzers/all-findings.js";
import { Analysis } from "../../src/analyzers/analysis.js";
import { parseTemplate } from "../../src/language/parse.js";
import { LAMBDA_TRUST } from "../rule-tester.js";

/** The related locations of each finding, as `rule: message@line` (what SARIF's relatedLocations carry). */
function related(text: string): string[] {
  const parsed = parseTemplate(text);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return allFindings(new Analysis(parsed.ast, text)).flatMap(({ rule, finding }) =>
    finding.related.map((place) => `${rule}: ${place.message}@${place.at.loc.start.line}`),
  );
}

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ConsumerRole:
    Type: AWS::IAM::Role
    Properties:
      ${LAMBDA_TRUST}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
  Consumer:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "x"}
      Role: !GetAtt ConsumerRole.Arn
  Jobs:
    Type: AWS::SQS::Queue
  JobsMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Consumer, EventSourceArn: !GetAtt Jobs.Arn}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Consumer, FunctionVersion: "1", Name: live}
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets: [{Id: fn, Arn: !Ref Live}]
  NightlyPermission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Consumer, Principal: events.amazonaws.com, SourceArn: !GetAtt Nightly.Arn}
`;

describe("related locations", () => {
  it("name the role, the mapping's source and the permission a finding is about", () => {
    expect(related(TEMPLATE)).toEqual([
      "event-source-permissions: the function's Role: ConsumerRole@14",
      "event-source-permissions: role ConsumerRole@3",
      "event-source-permissions: the source Jobs@15",
      "require-invoke-permission: permission NightlyPermission@28",
    ]);
  });
});
