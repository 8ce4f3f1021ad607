import {
  KnownFragmentNamesRule,
  NoFragmentCyclesRule,
  UniqueFragmentNamesRule,
  validate,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The rules every other one assumes: each spread names a fragment that exists, once, and no fragment
 * spreads itself (directly, through others, or inside a field). graphql-js runs all rules in one pass,
 * so the limit rules (depth, cost, aliases) would follow `fragment A { ...A }` round and round until the
 * stack ran out, or trip over a missing fragment. These run alone first; nothing else runs on a
 * document that fails them, and its answer is an ordinary validation error.
 */
const STRUCTURAL_RULES: readonly ValidationRule[] = [
  UniqueFragmentNamesRule,
  KnownFragmentNamesRule,
  NoFragmentCyclesRule,
];

/** Put first among the plugins: it wraps the validation that the others add their rules to. */
export function useStructureFirst(): Plugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, typeInfo, options) => {
        const structural = validate(schema, document, STRUCTURAL_RULES);
        if (structural.length > 0) return structural;
        return validateFn(schema, document, rules, typeInfo, options);
      });
    },
  };
}
