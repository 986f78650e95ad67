import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";

/** Reads account B's logs as B's AuditReader role. */
const logs = new CloudWatchLogsClient({
  credentials: fromTemporaryCredentials({ params: { RoleArn: process.env.AUDIT_ROLE_ARN!, RoleSessionName: "audit" } }),
});

export const handler = () => logs.send(new FilterLogEventsCommand({ logGroupName: "/orders/audit" }));
