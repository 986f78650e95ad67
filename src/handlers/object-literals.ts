import type { TSESTree } from "@typescript-eslint/types";

/** A property's name as written: `key`, `"key"`; undefined for a computed key. */
export function propertyName(property: TSESTree.Property): string | undefined {
  if (property.key.type === "Identifier" && !property.computed) return property.key.name;
  return property.key.type === "Literal" && typeof property.key.value === "string" ? property.key.value : undefined;
}

/** A named property of an object literal (`{ role }` too). */
export function propertyOf(object: TSESTree.Node | undefined, name: string): TSESTree.Property | undefined {
  if (object?.type !== "ObjectExpression") return undefined;
  return object.properties.find(
    (property): property is TSESTree.Property => property.type === "Property" && propertyName(property) === name,
  );
}
