import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";

/** Reads account B's Orders table with this function's own role (no AssumeRole): the table's ARN names it. */
const db = new DynamoDBClient({});

export const handler = (event: { id: string }) =>
  db.send(new GetItemCommand({ TableName: process.env.ORDERS_TABLE_ARN, Key: { id: { S: event.id } } }));
