import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a 15 MB wasm + data bundle it loads from its own package
  // folder; bundling it would also publish those files under .next/static.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter"],
  poweredByHeader: false,
  typedRoutes: false,
  // No page of the identity provider may be framed (clickjacking on the
  // consent and sign-in pages).
  headers: async () => [
    {
      source: "/:path*",
      headers: [
        { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
        { key: "X-Frame-Options", value: "DENY" },
        { key: "Referrer-Policy", value: "no-referrer" },
        { key: "X-Content-Type-Options", value: "nosniff" },
      ],
    },
  ],
};

export default nextConfig;
