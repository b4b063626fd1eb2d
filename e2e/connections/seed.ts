// Seeding for e2e/sign-in-connections.spec.ts, run by e2e/serve.mjs with a
// server's environment before that server starts (PGlite is single-process):
//  - `upstream`: on the upstream server, the confidential app that stands for
//    the main server (its redirect URIs are the main server's callbacks: http
//    on localhost, which an owner may register only in development mode, so
//    the rules are relaxed here as `npm run dev` would);
//  - `main <client_id> <client_secret>`: on the main server, a first-party app
//    and two connections to the upstream, one project-level and one
//    app-level (offered by that first-party app only).
// Prints JSON for the launcher to write where the spec reads it.
import { createApp } from "../../lib/clients/apps";
import { getConfig } from "../../lib/config";
import { createConnection } from "../../lib/connections/connections";
import { databaseTarget, openMigratedDatabase } from "../../lib/db";
import { CONNECTIONS_E2E } from "../servers.mjs";

const actor = { type: "system" as const, id: null, label: "e2e" };
const [mode, clientId, clientSecret] = process.argv.slice(2);
const db = await openMigratedDatabase(databaseTarget(getConfig()), () => {});
try {
  if (mode === "upstream") {
    const { app, clientSecret: secret } = await createApp(
      db.prisma,
      actor,
      {
        client_type: "first_party",
        name: "Main e2e server",
        redirect_uris: Object.values(CONNECTIONS_E2E.slugs).map((slug) => `${CONNECTIONS_E2E.mainIssuer}/signin/connections/${slug}/callback`),
        allowed_scopes: ["openid", "profile", "email"],
      },
      "api",
      { development: true },
    );
    console.log(JSON.stringify({ client_id: app.client_id, client_secret: secret }));
  } else if (mode === "main" && clientId && clientSecret) {
    const { app, clientSecret: secret } = await createApp(db.prisma, actor, { client_type: "first_party", name: "First-party e2e app", redirect_uris: ["https://rp.example/cb"] }, "api");
    const upstream = { kind: "oidc", issuer: CONNECTIONS_E2E.upstreamIssuer, client_id: clientId, client_secret: clientSecret };
    await createConnection(db.prisma, actor, getConfig().issuer, { ...upstream, slug: CONNECTIONS_E2E.slugs.project, name: "Upstream IdP" });
    await createConnection(db.prisma, actor, getConfig().issuer, {
      ...upstream, slug: CONNECTIONS_E2E.slugs.app, name: "Upstream for one app", level: "app", apps: [app.client_id],
    });
    console.log(JSON.stringify({ first_party: { client_id: app.client_id, client_secret: secret, redirect_uri: "https://rp.example/cb" } }));
  } else {
    throw new Error("usage: seed.ts upstream | main <client_id> <client_secret>");
  }
} finally {
  await db.close();
}
