/**
 * Lookups by a key the user wrote. A plain object answers `constructor`, `toString` or `__proto__` from
 * its prototype, which made the schema check throw on a key named `constructor`; every table indexed by
 * a user's key or id goes through `own` (or is a Map, or has no prototype).
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
