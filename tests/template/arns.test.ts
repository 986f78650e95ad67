import { describe, expect, it } from "vitest";
import { queueArnOfUrl } from "../../src/template/arns.js";

describe("queueArnOfUrl", () => {
  it.each([
    ["https://sqs.us-east-1.amazonaws.com/222222222222/jobs", "arn:aws:sqs:us-east-1:222222222222:jobs"],
    ["https://sqs.eu-west-2.amazonaws.com/222222222222/orders.fifo", "arn:aws:sqs:eu-west-2:222222222222:orders.fifo"],
    ["https://sqs.cn-north-1.amazonaws.com.cn/222222222222/jobs", "arn:aws-cn:sqs:cn-north-1:222222222222:jobs"],
    ["https://sqs.us-gov-west-1.amazonaws.com/222222222222/jobs", "arn:aws-us-gov:sqs:us-gov-west-1:222222222222:jobs"],
  ])("reads %s as %s", (url, arn) => {
    expect(queueArnOfUrl(url)).toBe(arn);
  });

  it.each([
    ["a legacy endpoint", "https://queue.amazonaws.com/222222222222/jobs"],
    ["a VPC endpoint", "https://vpce-0123.sqs.us-east-1.vpce.amazonaws.com/222222222222/jobs"],
    ["a China Region on the global domain", "https://sqs.cn-north-1.amazonaws.com/222222222222/jobs"],
    ["an account that is not 12 digits", "https://sqs.us-east-1.amazonaws.com/2222/jobs"],
    ["a path beyond the queue", "https://sqs.us-east-1.amazonaws.com/222222222222/jobs/x"],
  ])("leaves %s unknown", (_what, url) => {
    expect(queueArnOfUrl(url)).toBeUndefined();
  });
});
