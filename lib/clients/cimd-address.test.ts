import { describe, expect, it } from "vitest";
import { addressProblem } from "./cimd-address";

/**
 * Every range cimd-address.ts refuses, one row each. The module keeps its
 * ranges in `as const` tables that mutation testing cannot mutate one row at
 * a time, so this table must name every one of them: deleting or mistyping a
 * row in the module has to fail a row here.
 *
 * Columns: the range, its first and last address (refused), and the address
 * just before and just after it (accepted), or null where that neighbour is
 * not a public address (another special range, the end of the address space,
 * or IETF-reserved space the module leaves to routing), with the reason.
 */
type Row = [range: string, first: string, last: string, before: string | null, after: string | null];

const SPECIAL_V4: Row[] = [
  ["0.0.0.0/8", "0.0.0.0", "0.255.255.255", null /* start of the address space */, "1.0.0.0"], // "this network", unspecified
  ["10.0.0.0/8", "10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"], // private
  ["100.64.0.0/10", "100.64.0.0", "100.127.255.255", "100.63.255.255", "100.128.0.0"], // carrier-grade NAT
  ["169.254.0.0/16", "169.254.0.0", "169.254.255.255", "169.253.255.255", "169.255.0.0"], // link-local (cloud metadata)
  ["172.16.0.0/12", "172.16.0.0", "172.31.255.255", "172.15.255.255", "172.32.0.0"], // private
  ["192.0.0.0/24", "192.0.0.0", "192.0.0.255", "191.255.255.255", "192.0.1.0"], // IETF protocol assignments
  ["192.0.2.0/24", "192.0.2.0", "192.0.2.255", "192.0.1.255", "192.0.3.0"], // documentation (TEST-NET-1)
  ["192.88.99.0/24", "192.88.99.0", "192.88.99.255", "192.88.98.255", "192.88.100.0"], // 6to4 relay anycast
  ["192.168.0.0/16", "192.168.0.0", "192.168.255.255", "192.167.255.255", "192.169.0.0"], // private
  ["198.18.0.0/15", "198.18.0.0", "198.19.255.255", "198.17.255.255", "198.20.0.0"], // benchmarking
  ["198.51.100.0/24", "198.51.100.0", "198.51.100.255", "198.51.99.255", "198.51.101.0"], // documentation (TEST-NET-2)
  ["203.0.113.0/24", "203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0"], // documentation (TEST-NET-3)
  ["224.0.0.0/4", "224.0.0.0", "239.255.255.255", "223.255.255.255", null /* 240.0.0.0/4 follows */], // multicast
  ["240.0.0.0/4", "240.0.0.0", "255.255.255.255", null /* multicast precedes */, null /* end of the space */], // reserved, broadcast
];

const F = "ffff:ffff:ffff:ffff:ffff:ffff:ffff"; // the last seven groups, all ones

// Most IPv6 special ranges sit in IETF-reserved space (::/8, 100::/8, f000::/5, fe00::/9) whose other
// addresses are not globally routable: their neighbours are left out rather than pinned as accepted.
const SPECIAL_V6: Row[] = [
  ["::/96", "::", "::ffff:ffff", null /* start of the space */, null /* ::1:0:0 is in reserved ::/8 */], // unspecified, IPv4-compatible
  ["64:ff9b::/96", "64:ff9b::", "64:ff9b::ffff:ffff", null /* reserved ::/8 */, null /* reserved ::/8 */], // NAT64
  ["64:ff9b:1::/48", "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", null /* reserved ::/8 */, null /* reserved ::/8 */], // local-use NAT64
  ["100::/64", "100::", "100::ffff:ffff:ffff:ffff", null /* reserved 100::/8 */, null /* reserved 100::/8 */], // discard-only
  ["2001::/23", "2001::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", `2000:${F}` /* 2000::/3 unicast */, "2001:200::"], // IETF protocol assignments (Teredo…)
  ["2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"], // documentation
  ["2002::/16", "2002::", `2002:${F}`, `2001:${F}`, "2003::"], // 6to4
  ["3fff::/20", "3fff::", `3fff:fff:${F.slice(5)}`, `3ffe:${F}`, "3fff:1000::"], // documentation (RFC 9637)
  ["5f00::/16", "5f00::", `5f00:${F}`, null /* reserved 4000::/3 */, null /* reserved 4000::/3 */], // SRv6 SIDs (RFC 9602)
  ["fc00::/7", "fc00::", `fdff:${F}`, null /* reserved f000::/5 */, null /* reserved fe00::/9 */], // unique local
  ["fe80::/10", "fe80::", `febf:${F}`, null /* reserved fe00::/9 */, null /* fec0::/10 follows */], // link-local
  ["fec0::/10", "fec0::", `feff:${F}`, null /* fe80::/10 precedes */, null /* ff00::/8 follows */], // deprecated site-local
  ["ff00::/8", "ff00::", `ffff:${F}`, null /* fec0::/10 precedes */, null /* end of the space */], // multicast
];

const LOOPBACK_ROWS: Row[] = [
  ["127.0.0.0/8", "127.0.0.0", "127.255.255.255", "126.255.255.255", "128.0.0.0"], // IPv4 loopback
  ["::1/128", "::1", "::1", null /* :: is unspecified */, null /* ::2 is in ::/96 */], // IPv6 loopback
];

const strict = { allowLoopback: false };
const lenient = { allowLoopback: true };

/** Every spelling of the IPv4-mapped IPv6 address (::ffff:0:0/96) that carries `v4`. */
function mapped(v4: string): string[] {
  const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
  const hi = ((a << 8) | b).toString(16);
  const lo = ((c << 8) | d).toString(16);
  return [
    `::ffff:${v4}`,
    `::ffff:${hi}:${lo}`,
    `::FFFF:${hi.toUpperCase()}:${lo.toUpperCase()}`,
    `0:0:0:0:0:ffff:${v4}`,
    `0000:0000:0000:0000:0000:FFFF:${hi.padStart(4, "0").toUpperCase()}:${lo.padStart(4, "0")}`,
    `[::ffff:${v4}]`,
  ];
}

const isV4 = (range: string) => !range.includes(":");
const outside = (row: Row) => [row[3], row[4]].filter((a): a is string => a !== null);

describe("addressProblem: every special-use range", () => {
  describe.each([...SPECIAL_V4, ...SPECIAL_V6])("%s", (range, first, last) => {
    const inside = isV4(range) ? [first, last, ...mapped(first), ...mapped(last)] : [first, last, `[${first}]`, `[${last}]`];

    it("refuses its first and last address, in every spelling, with or without allowLoopback", () => {
      for (const address of inside) {
        expect(addressProblem(address, strict), address).toMatch(/ is in a special-use \(private, link-local, multicast or reserved\) range$/);
        expect(addressProblem(address, strict), address).toContain(address);
        expect(addressProblem(address, lenient), address).toMatch(/special-use/);
      }
    });
  });

  describe.each([...SPECIAL_V4, ...SPECIAL_V6, ...LOOPBACK_ROWS].filter((row) => outside(row).length > 0))(
    "just outside %s",
    (range, _first, _last, before, after) => {
      it("accepts the public neighbours", () => {
        for (const address of [before, after]) {
          if (address === null) continue;
          const spellings = isV4(range) ? [address, ...mapped(address)] : [address, `[${address}]`];
          for (const a of spellings) expect(addressProblem(a, strict), a).toBeNull();
        }
      });
    },
  );
});

describe("addressProblem: loopback", () => {
  describe.each(LOOPBACK_ROWS)("%s", (range, first, last) => {
    const inside = isV4(range) ? [first, last, ...mapped(first), ...mapped(last)] : [first, last, `[${first}]`];

    it("is refused by default and allowed with allowLoopback", () => {
      for (const address of inside) {
        expect(addressProblem(address, strict), address).toBe(`${address} is a loopback address`);
        expect(addressProblem(address, lenient), address).toBeNull();
      }
    });
  });

  it("recognises every spelling of ::1 and addresses inside 127/8", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "0:0:0:0:0:0:0:1", "0000:0000:0000:0000:0000:0000:0000:0001", "::0001", "::1%lo", "[::1]", "::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:FFFF:7F00:0001"]) {
      expect(addressProblem(address, strict), address).toMatch(/loopback/);
      expect(addressProblem(address, lenient), address).toBeNull();
    }
  });

  it("allowLoopback lets nothing else through", () => {
    for (const address of ["::", "::2", "0.0.0.0", "::127.0.0.1", "10.0.0.1", "::ffff:10.0.0.1", "169.254.169.254", "fe80::1"]) {
      expect(addressProblem(address, lenient), address).toMatch(/special-use/);
    }
  });
});

describe("addressProblem: addresses that reach IPv4", () => {
  const PUBLIC_V4 = "93.184.216.34"; // 5db8:d822

  it("judges IPv4-mapped addresses as the IPv4 address they carry", () => {
    for (const address of mapped(PUBLIC_V4)) expect(addressProblem(address, strict), address).toBeNull();
    for (const address of [...mapped("10.1.2.3"), ...mapped("169.254.169.254"), ...mapped("192.168.1.1")]) {
      expect(addressProblem(address, strict), address).toMatch(/special-use/);
    }
  });

  it("refuses NAT64 (64:ff9b::/96) even when the embedded IPv4 address is public, and local-use NAT64", () => {
    for (const address of ["64:ff9b::93.184.216.34", "64:ff9b::5db8:d822", "64:ff9b::a00:1", "64:ff9b:1::5db8:d822", "64:ff9b:1:abcd::1"]) {
      expect(addressProblem(address, strict), address).toMatch(/special-use/);
    }
  });

  it("does not take ::ffff:x:y inside another range for an IPv4-mapped address", () => {
    for (const address of ["2001:db8::ffff:5db8:d822", "fe80::ffff:5db8:d822", "2002::ffff:5db8:d822"]) {
      expect(addressProblem(address, strict), address).toMatch(/special-use/);
    }
  });

  it("refuses 6to4 (2002::/16) and Teredo (2001::/32), which embed IPv4 addresses", () => {
    for (const address of ["2002:5db8:d822::1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::5db8:d822"]) {
      expect(addressProblem(address, strict), address).toMatch(/special-use/);
    }
  });

  it("refuses the deprecated IPv4-compatible form (::a.b.c.d) even of a public address", () => {
    expect(addressProblem(`::${PUBLIC_V4}`, strict)).toMatch(/special-use/);
  });
});

describe("addressProblem: public addresses and spellings", () => {
  it.each(["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:2800:220:1::", "2606:2800:220:1:248:1893:25c8:1946", "2001:4860:4860::8888", "[2606:2800:220:1::]", "2606:2800:220:1::%eth0"])(
    "accepts %s",
    (address) => {
      expect(addressProblem(address, strict)).toBeNull();
      expect(addressProblem(address, lenient)).toBeNull();
    },
  );

  it("strips brackets and a zone id before judging", () => {
    expect(addressProblem("[fe80::1]", strict)).toBe("[fe80::1] is in a special-use (private, link-local, multicast or reserved) range");
    expect(addressProblem("fe80::1%eth0", strict)).toBe("fe80::1%eth0 is in a special-use (private, link-local, multicast or reserved) range");
    expect(addressProblem("[fe80::1%25eth0]", strict)).toMatch(/special-use/);
    expect(addressProblem("[::1]", strict)).toBe("[::1] is a loopback address");
  });

  it("judges an address with a zone id by the address, whatever the interface is called", () => {
    for (const zone of ["%0", "%br_lan", "%wg 0", "%en0/1", "%"]) {
      expect(addressProblem(`fe80::1${zone}`, lenient), zone).toMatch(/special-use/);
      expect(addressProblem(`::1${zone}`, strict), zone).toBe(`::1${zone} is a loopback address`);
      expect(addressProblem(`::1${zone}`, lenient), zone).toBeNull();
    }
  });

  it.each(["", "not-an-ip", "example.com", "localhost", "1.2.3", "127.1", "256.0.0.1", "01.02.03.04", "0x7f.0.0.1", "::ffff:1.2.3.256", "[]", "[[::1]", "[::1]]", "::g", "1::2::3"])(
    "refuses %j as not an IP address, even with allowLoopback",
    (address) => {
      expect(addressProblem(address, strict)).toBe(`${address} is not an IP address`);
      expect(addressProblem(address, lenient)).toBe(`${address} is not an IP address`);
    },
  );
});
