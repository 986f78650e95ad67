// An AWS CDK app with deliberate mistakes (and, with ORDERS_FIXED=1, without them). Its synthesized
// cdk.out is checked in, so that `npm start` lints it without a CDK install; `npm run synth:cdk-example`
// writes it again. LambdaIamValidator makes `cdk synth` itself report the template rules' findings.
import { App, Stack, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { LambdaIamValidator } from "eslint-plugin-lambda-iam/cdk";

export function ordersApp({ outdir, fixed, validate }: { outdir: string; fixed: boolean; validate: boolean }): App {
  const app = new App({ outdir });
  if (validate) Validations.of(app).addPlugins(new LambdaIamValidator());
  const stack = new Stack(app, "OrdersStack");
  const code = lambda.Code.fromAsset(new URL("src/worker", import.meta.url).pathname);
  // Mistake 4: a role given to a function gets no AWSLambdaBasicExecutionRole from CDK (only the role
  // CDK creates does), so these functions cannot write their logs.
  const lambdaRole = (id: string) =>
    new iam.Role(stack, id, {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      managedPolicies: fixed ? [iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")] : [],
    });

  const orders = new dynamodb.Table(stack, "Orders", { partitionKey: { name: "id", type: dynamodb.AttributeType.STRING } });
  const jobs = new sqs.Queue(stack, "Jobs");

  // Mistake 1: Worker and Reporter run as one role, so each holds the other's permissions.
  const sharedRole = lambdaRole("SharedRole");
  const worker = new lambda.Function(stack, "Worker", {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: "index.handler",
    code,
    role: fixed ? lambdaRole("WorkerRole") : sharedRole,
    environment: { TABLE_NAME: orders.tableName },
  });
  worker.addEventSource(new SqsEventSource(jobs));
  // Mistake 2: the worker's handler writes orders, but it is granted only reads.
  if (fixed) orders.grantReadWriteData(worker);
  else orders.grantReadData(worker);

  const reporter = new lambda.Function(stack, "Reporter", {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: "index.report",
    code,
    role: fixed ? lambdaRole("ReporterRole") : sharedRole,
    environment: { TABLE_NAME: orders.tableName },
  });
  orders.grantReadData(reporter);

  // Mistake 5: the auditor (bundled from src/audit.ts by esbuild) deletes orders, granted only reads.
  const auditor = new NodejsFunction(stack, "Auditor", {
    runtime: lambda.Runtime.NODEJS_22_X,
    entry: new URL("src/audit.ts", import.meta.url).pathname,
    environment: { TABLE_NAME: orders.tableName },
    bundling: { minify: false, sourceMap: false },
  });
  if (fixed) orders.grantReadWriteData(auditor);
  else orders.grantReadData(auditor);

  // Mistake 3: a role for EC2 given to a function, which Lambda cannot assume.
  new lambda.Function(stack, "Batch", {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: "index.batch",
    code,
    role: new iam.Role(stack, "BatchRole", {
      assumedBy: new iam.ServicePrincipal(fixed ? "lambda.amazonaws.com" : "ec2.amazonaws.com"),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")],
    }),
  });
  return app;
}

if (process.env.CDK_OUTDIR || process.argv.includes("--synth")) {
  ordersApp({
    outdir: process.env.CDK_OUTDIR ?? "cdk.out",
    fixed: process.env.ORDERS_FIXED === "1",
    validate: process.env.ORDERS_VALIDATE !== "0",
  }).synth();
}
