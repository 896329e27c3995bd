/**
 * An empty object to key by ids that come from tickets and policies. Such an id may be `__proto__` or `constructor`:
 * on a plain `{}` the first sets the prototype instead of a key and the second reads Object's own function, so a
 * ticket or vendor of that name would lose its ledger state. A null prototype keeps every id an own key.
 */
export function dictionary<T>(): Record<string, T> {
	return Object.create(null) as Record<string, T>;
}
