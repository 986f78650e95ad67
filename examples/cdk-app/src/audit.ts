// The auditor of the CDK example, bundled by NodejsFunction (esbuild): it removes orders it finds expired.
import { DeleteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

const db = new DynamoDBClient({});

export async function handler(event: { expired: string[] }) {
  for (const id of event.expired) {
    await db.send(new DeleteItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: id } } }));
  }
}
