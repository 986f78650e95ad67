// The handler of the least-privilege rule doc's examples: it reads and writes one order.
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";

const client = new DynamoDBClient({});

export const handler = async (event) => {
  const key = { id: { S: String(event.id) } };
  const found = await client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: key }));
  if (!found.Item) await client.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: key }));
};
