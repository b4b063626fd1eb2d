import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { PlaygroundCallback } from "@/components/playground/playground-callback";
import { Card } from "@/components/ui/card";
import { ErrorCard } from "@/components/ui/error-card";
import { getApp } from "@/lib/clients/apps";
import { getConfig } from "@/lib/config";
import { derivedKey } from "@/lib/crypto/pepper";
import { getPrisma } from "@/lib/db";
import { PLAYGROUND_COOKIE, PLAYGROUND_SEAL_PURPOSE, peekFlow } from "@/lib/playground/flow-state";
import { playgroundStatus } from "@/lib/playground/playground-uri";
import { finishPlaygroundAction, refreshPlaygroundAction } from "./actions";

export const metadata: Metadata = { title: "Playground" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** One value of a callback parameter; repeated or absent: null (the exchange refuses what does not fit). */
const single = (value: string | string[] | undefined) => (typeof value === "string" ? value : null);

/**
 * The playground's redirect URI: where the authorization endpoint sends the
 * browser back with a code. Not in the dashboard: the account that signed in
 * may be another than the owner's; the flow cookie an owner's "Try sign-in"
 * set is what lets it go on.
 */
export default async function PlaygroundCallbackPage({ searchParams }: Props) {
  const query = await searchParams;
  const params = { code: single(query.code), state: single(query.state), error: single(query.error), error_description: single(query.error_description) };
  const config = getConfig();
  // Nothing is checked or used here: the exchange does that. The cookie only says which app's page this is
  // (used or not: the page renders again when the exchange replaces it, and keeps its results).
  const flow = peekFlow((await cookies()).get(PLAYGROUND_COOKIE)?.value, derivedKey(PLAYGROUND_SEAL_PURPOSE, config));
  const app = flow && (await getApp(await getPrisma(), flow.clientId));
  if (!app) {
    return (
      <div className="space-y-4">
        <ErrorCard
          title="No playground sign-in in progress"
          description="This browser has no playground sign-in waiting for this answer, or it expired. An owner starts one with Try sign-in on an app's page in the dashboard."
        />
        <p className="text-center text-sm">
          <Link href="/dashboard/apps" className="text-brand-700 underline">
            Apps in the dashboard
          </Link>
        </p>
      </div>
    );
  }
  const appHref = `/dashboard/apps/${encodeURIComponent(app.client_id)}`;
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href={appHref} className="text-sm text-brand-700 underline">
          ← {app.name}
        </Link>
        <h1 className="text-2xl font-semibold break-words">Playground: {app.name}</h1>
        <p className="text-sm text-slate-600">
          A real sign-in for this app, as any client of its type makes it: authorization code with PKCE, then the token endpoint, with the same rules.
        </p>
      </div>
      <Card title="Result">
        <PlaygroundCallback
          appHref={appHref}
          used={flow?.spent === true}
          needsSecret={playgroundStatus(app, config).needsSecret}
          params={params}
          actions={{ finish: finishPlaygroundAction, refresh: refreshPlaygroundAction }}
        />
      </Card>
    </div>
  );
}
