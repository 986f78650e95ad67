import type { Expr } from "../../template/expr.js";
import { entryOf, listItems, literalText } from "../../template/expr.js";
import type { Template } from "../../template/model.js";

/** One end of a SAM connector: a resource of the template by `Id`, or one named otherwise (undefined id). */
interface ConnectorEndpoint {
  id: string | undefined;
  /** The endpoint's resource type: its `Type`, or the type of the resource its `Id` names. */
  type: string | undefined;
}

export interface Connector {
  /** `Connector`, or `Resource.Name` for a connector embedded in a resource's `Connectors`. */
  name: string;
  endpoints: ConnectorEndpoint[];
}

/**
 * SAM connectors: `AWS::Serverless::Connector` resources and `Connectors` embedded in a resource (whose
 * source is that resource). SAM turns each into policies and permissions that we do not model.
 */
export function samConnectors(template: Template): Connector[] {
  const endpoint = (expr: Expr | undefined): ConnectorEndpoint => {
    const id = literalText(entryOf(expr, "Id"));
    return { id, type: literalText(entryOf(expr, "Type")) ?? (id ? template.resources.get(id)?.type : undefined) };
  };
  const connectors: Connector[] = [];
  for (const resource of template.resources.values()) {
    if (resource.type === "AWS::Serverless::Connector") {
      const properties = resource.properties;
      connectors.push({
        name: resource.logicalId,
        endpoints: [entryOf(properties, "Source"), ...listItems(entryOf(properties, "Destination"))].map(endpoint),
      });
    }
    const embedded = entryOf(resource.definition, "Connectors");
    if (embedded?.kind !== "object") continue;
    for (const [name, { value }] of embedded.entries) {
      const destinations = listItems(entryOf(entryOf(value, "Properties"), "Destination")).map(endpoint);
      connectors.push({
        name: `${resource.logicalId}.${name}`,
        endpoints: [{ id: resource.logicalId, type: resource.type }, ...destinations],
      });
    }
  }
  return connectors;
}
