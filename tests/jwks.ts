import { SEAL_PURPOSE, type SigningAlg } from "@/lib/oauth/keys/algorithms";
import { keyRing } from "@/lib/oauth/keys/key-ring";
import type { TestDatabase } from "./databases";

/** The signing keys as the protocol reads them at `now`: a fresh key ring (no snapshot from earlier in the test). */
export const keyRingAt = (db: TestDatabase, now = new Date()) => keyRing(db.oauth.store, db.oauth.keyFor(SEAL_PURPOSE), () => now);

/** The JWKS document the server publishes at `now`. */
export const publishedJwks = (db: TestDatabase, now?: Date) => keyRingAt(db, now).jwks();

/** The key the server signs `alg` tokens with now. */
export const activeSigningKey = (db: TestDatabase, alg: SigningAlg) => keyRingAt(db).signing(alg);
