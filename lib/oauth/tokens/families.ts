/** An access token's `jti` is `<family id>.<random>`: introspection finds the family without storing each token. */
export function familyOfJti(jti: string): string | null {
  const id = jti.split(".")[0] ?? "";
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : null;
}
