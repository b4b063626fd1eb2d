/** The asymmetric algorithms this server signs with (docs/design.md: RS256 default, ES256). */
export const SIGNING_ALGS = ["RS256", "ES256"] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** The purpose private signing keys are sealed under (lib/keys seals, the key ring unseals). */
export const SEAL_PURPOSE = "signing-key-encryption";
