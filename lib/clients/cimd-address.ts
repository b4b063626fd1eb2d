import { BlockList, isIP } from "node:net";

/**
 * Special-use address ranges a metadata document fetch must never reach
 * (RFC 6890 registries; draft-ietf-oauth-client-id-metadata-document §6,
 * server-side request forgery). Loopback is kept apart: an operator may
 * allow it for development and tests.
 */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

const SPECIAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["169.254.0.0", 16], // link-local (cloud metadata services)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  SPECIAL.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 96], // unspecified and the deprecated IPv4-compatible forms (::1 is checked as loopback first)
  ["64:ff9b::", 96], // NAT64 (reaches IPv4 addresses)
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID…)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (embeds IPv4 addresses)
  ["3fff::", 20], // documentation (RFC 9637)
  ["5f00::", 16], // segment routing (SRv6) SIDs (RFC 9602)
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // deprecated site-local
  ["ff00::", 8], // multicast
] as const) {
  SPECIAL.addSubnet(net, prefix, "ipv6");
}

/**
 * Why an address (as returned by DNS resolution) must not be fetched from,
 * or null when it is an ordinary public address. IPv4-mapped IPv6 addresses
 * (`::ffff:a.b.c.d`, `::ffff:7f00:1`, any spelling) are judged as the IPv4
 * address they carry: BlockList matches them against the IPv4 rules itself
 * ("IPv6 notation for IPv4 addresses works", Node's net.BlockList.check).
 */
export function addressProblem(address: string, options: { allowLoopback: boolean }): string | null {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 6 ? "ipv6" : "ipv4";
  if (LOOPBACK.check(bare, type)) return options.allowLoopback ? null : `${address} is a loopback address`;
  if (SPECIAL.check(bare, type)) return `${address} is in a special-use (private, link-local, multicast or reserved) range`;
  return null;
}
