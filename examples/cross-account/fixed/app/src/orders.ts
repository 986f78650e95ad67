import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";

const sts = new STSClient({});

/** Writes an order to account B's table with the credentials of B's OrdersWriter role. */
export async function handler(order: { id: string }) {
  const { Credentials: session } = await sts.send(
    new AssumeRoleCommand({ RoleArn: process.env.TARGET_ROLE_ARN, RoleSessionName: "orders", DurationSeconds: 900 }),
  );
  const orders = new DynamoDBClient({
    credentials: {
      accessKeyId: session!.AccessKeyId!,
      secretAccessKey: session!.SecretAccessKey!,
      sessionToken: session!.SessionToken,
    },
  });
  await orders.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { id: { S: order.id } } }));
}
