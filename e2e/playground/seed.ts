// Seeding for e2e/playground.spec.ts, run by e2e/serve.mjs on the main
// server's database before it starts: a confidential app whose redirect URIs
// already hold the playground's callback. The main server's issuer is http
// on localhost and it runs in production mode, where a confidential app may
// not register such a URI (the spec checks that the dashboard refuses it);
// here it is registered as an owner could in development mode (`npm run
// dev`), as e2e/connections/seed.ts does for the upstream's app.
// Prints JSON for the launcher to write where the spec reads it.
import { createApp } from "../../lib/clients/apps";
import { getConfig } from "../../lib/config";
import { databaseTarget, openMigratedDatabase } from "../../lib/db";
import { playgroundRedirectUri } from "../../lib/playground/playground-uri";

const actor = { type: "system" as const, id: null, label: "e2e" };
const db = await openMigratedDatabase(databaseTarget(getConfig()), () => {});
try {
  const { app, clientSecret } = await createApp(
    db.prisma,
    actor,
    { client_type: "first_party", name: "Playground confidential app", redirect_uris: ["https://rp.example/cb", playgroundRedirectUri(getConfig().issuer)] },
    "api",
    { development: true },
  );
  console.log(JSON.stringify({ client_id: app.client_id, client_secret: clientSecret }));
} finally {
  await db.close();
}
