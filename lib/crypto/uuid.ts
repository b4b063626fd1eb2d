import { randomBytes } from "node:crypto";

/**
 * A UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits,
 * so ids made one after another sort together (index locality), as the ids
 * Prisma makes for the same tables (`@default(uuid(7))`).
 */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether `value` is a UUID as this server writes them (lower-case hex,
 * 8-4-4-4-12). Checked before a lookup, so garbage never reaches a uuid
 * column (PostgreSQL would refuse it with an error). Callers that accept
 * any case lower-case first.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
