// The functions of the CDK example: the worker stores each queued order; the reporter and the batch read them.
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";

const db = new DynamoDBClient({});

export async function handler(event) {
  for (const record of event.Records) {
    await db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { id: { S: record.messageId } } }));
  }
}

export const report = (event) => db.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: event.id } } }));

export const batch = () => undefined;
