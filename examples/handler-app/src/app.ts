import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});

export async function handler(event: { id: string; total: number }) {
  const existing = await documents.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id: event.id } }));
  if (existing.Item) return existing.Item;
  await documents.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { id: event.id, total: event.total } }));
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: JSON.stringify(event) }));
  return { id: event.id };
}
