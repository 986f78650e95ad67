import json
import os

import boto3

dynamodb = boto3.client("dynamodb")
s3 = boto3.client("s3")


def lambda_handler(event, context):
    order = json.loads(event["body"])
    existing = dynamodb.get_item(TableName=os.environ["TABLE_NAME"], Key={"id": {"S": order["id"]}})
    if "Item" not in existing:
        dynamodb.put_item(TableName=os.environ["TABLE_NAME"], Item={"id": {"S": order["id"]}})
    buckets = s3.list_buckets()["Buckets"]
    return {"statusCode": 200, "body": json.dumps({"buckets": len(buckets)})}
