// Types of scripts/rule-table.js, for the docs test that checks the README against the rules' meta.
interface RuleWithMeta {
  meta: { docs?: { description?: string; recommended?: boolean; severity?: string }; hasSuggestions?: boolean };
}
export function ruleTables(templateRules: Record<string, RuleWithMeta>, handlerRules: Record<string, RuleWithMeta>): string;
export function withRuleTables(readme: string, tables: string): string;
