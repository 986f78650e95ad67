import sdkInputData from "../../data/sdk-inputs.json" with { type: "json" };

/** Which input member names the resource of each service's operations (src/data/sdk-inputs.json, from the Service Authorization Reference). */
export interface ResourceInput {
  resourceInput: string;
  indexInput?: string;
  indexActions?: string[];
  objectInput?: string;
  inputIsUrl?: boolean;
  sources: string[];
}

const SDK_INPUTS = sdkInputData as Record<string, ResourceInput>;

/** The input member that names the resource of a service's operations (`TableName`, `TopicArn`), and the one naming an index. */
export function resourceInputOf(service: string): ResourceInput | undefined {
  return SDK_INPUTS[service];
}
