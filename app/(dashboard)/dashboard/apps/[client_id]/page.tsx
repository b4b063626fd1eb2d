import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppSecretPanel } from "@/components/apps/app-secret-panel";
import { AuthorizedUsers } from "@/components/apps/authorized-users";
import { AppSettingsForm } from "@/components/apps/app-settings-form";
import { CimdMetadataPanel } from "@/components/apps/cimd-metadata-panel";
import { ClientKeyRows, KeyAuthNotice, usesKey } from "@/components/apps/client-key-rows";
import { DeleteApp } from "@/components/apps/delete-app";
import { AppSignInMethods } from "@/components/connections/app-sign-in-methods";
import { CREATION_METHOD_LABELS, redirectUriHint, typeFacts } from "@/components/apps/type-facts";
import { TypeBadge } from "@/components/apps/type-badge";
import { DateTime } from "@/components/dashboard/date-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ClientIdRow } from "@/components/apps/client-id-row";
import { ConnectPanel } from "@/components/apps/connect-panel";
import { LastAuthenticationRow } from "@/components/apps/last-authentication-row";
import { PlaygroundPanel } from "@/components/playground/playground-panel";
import { ActivityCard } from "@/components/dashboard/activity-card";
import { activityOf, activityPeriodSchema } from "@/lib/activity/series";
import { requireOwner } from "@/lib/auth/session";
import { firstParam } from "@/lib/dashboard/paging";
import { getConfig } from "@/lib/config";
import { getApp } from "@/lib/clients/apps";
import { cimdFreshness } from "@/lib/clients/cimd";
import { lastAuthenticationOf } from "@/lib/clients/last-authentication";
import { CLIENT_TYPE_LABELS, isMachineType, type ConnectedAppType, policyFor, scopeOfferedToType } from "@/lib/clients/policy";
import { connectEndpoints, connectSnippets } from "@/lib/dashboard/connect-snippets";
import { discoveryDocument } from "@/lib/oauth/discovery";
import { playgroundStatus } from "@/lib/playground/playground-uri";
import { getProjectSettings } from "@/lib/settings";
import { signInMethodsOfApp } from "@/lib/connections/offered-by-app";
import { getPrisma } from "@/lib/db";
import { listAppUsers } from "@/lib/grants/authorized-apps";
import { STANDARD_SCOPES } from "@/lib/oauth/scopes";
import { listCustomScopes } from "@/lib/rbac/custom-scopes";
import {
  cancelRotationAction,
  completeRotationAction,
  deleteAppAction,
  revokeAppUserAction,
  startRotationAction,
  updateAppAction,
} from "./actions";
import { refreshMetadataAction } from "./cimd-actions";
import { startPlaygroundAction, switchPlaygroundAction } from "../../playground/actions";

export const metadata: Metadata = { title: "App" };

type Props = {
  params: Promise<{ client_id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * The app named by the path segment. Next.js can leave escapes such as %2F
 * in a segment, which a CIMD client_id (an https URL) is full of: try the
 * segment as given, then decoded.
 */
async function findApp(segment: string) {
  const prisma = await getPrisma();
  const app = await getApp(prisma, segment);
  if (app || !segment.includes("%")) return app;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return getApp(prisma, decoded);
}

export default async function AppPage({ params, searchParams }: Props) {
  const { client_id: segment } = await params;
  await requireOwner(`/dashboard/apps/${encodeURIComponent(segment)}`);
  const app = await findApp(segment);
  if (!app) notFound();
  const clientId = app.client_id;
  const { created, activity: period } = await searchParams;
  const prisma = await getPrisma();
  const [users, customScopes, metadata, lastAuthentication, signInMethods, settings, activity] = await Promise.all([
    listAppUsers(prisma, clientId),
    listCustomScopes(prisma),
    cimdFreshness(prisma, clientId),
    lastAuthenticationOf(prisma, clientId),
    signInMethodsOfApp(prisma, clientId),
    getProjectSettings(prisma),
    activityOf(prisma, { clientId }, activityPeriodSchema.parse(firstParam(period)), new Date()),
  ]);
  // The same document discovery serves, so the panel shows exactly what clients will find.
  const discovery = discoveryDocument(getConfig().issuer, settings);
  const policy = policyFor(app.client_type);
  const label = CLIENT_TYPE_LABELS[app.client_type];

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href="/dashboard/apps" className="text-sm text-brand-700 underline">
          ← All apps
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold break-words">{app.name}</h1>
          <TypeBadge type={app.client_type} />
          {app.status !== "active" && <Badge tone="red">Disabled</Badge>}
        </div>
        <p className="text-sm text-slate-500">
          Created <DateTime value={app.created_at} /> via {CREATION_METHOD_LABELS[app.creation_method] ?? app.creation_method}
          {" · "}updated <DateTime value={app.updated_at} />
        </p>
      </div>
      {created === "1" && <Alert tone="success">App created. Finish its settings below.</Alert>}

      <Card title="Credentials">
        <dl className="space-y-4 text-sm">
          <ClientIdRow clientId={app.client_id} />
          <div className="space-y-1">
            <dt className="font-medium text-slate-700">Client secret</dt>
            <dd>
              {usesKey(app) ? (
                <KeyAuthNotice noun="app" />
              ) : policy.confidential ? (
                <AppSecretPanel
                  clientId={app.client_id}
                  currentLast4={app.client_secret_last4}
                  nextLast4={app.next_client_secret_last4}
                  actions={{ start: startRotationAction, complete: completeRotationAction, cancel: cancelRotationAction }}
                />
              ) : (
                <p className="text-slate-700" data-testid="no-secret">
                  This app has no client secret: it runs on users&apos; devices, where a secret cannot be kept. It
                  authenticates with PKCE (S256) instead
                  {policy.pkce === "required" ? ", which every authorization request must use" : ""}.
                </p>
              )}
            </dd>
          </div>
          <ClientKeyRows client={app} />
          <LastAuthenticationRow value={lastAuthentication} confidential={policy.confidential} />
        </dl>
      </Card>

      {!isMachineType(app.client_type) && (
        <Card title="Connect" description={<p>What your app&apos;s code needs to sign users in with this server. Secrets are never shown here: a confidential app&apos;s secret was shown once, when it was created or rotated.</p>}>
          <ConnectPanel
            clientId={app.client_id}
            endpoints={connectEndpoints(discovery)}
            snippets={connectSnippets({
              discovery,
              clientId: app.client_id,
              clientType: app.client_type as ConnectedAppType,
              redirectUris: app.redirect_uris,
              allowedScopes: app.allowed_scopes,
              authMethod: app.token_endpoint_auth_method,
            })}
            openApiUrl="/api/v1/openapi.json"
          />
        </Card>
      )}

      {!isMachineType(app.client_type) && (
        <Card
          title="Playground"
          description={
            <p>
              Try a real sign-in for this app without writing a client: the playground signs in as this app (authorization code with PKCE, consent as the app&apos;s
              type asks it, the app&apos;s own client authentication) through a callback on this server, registered as one of the app&apos;s redirect URIs only while
              the playground is on. It then shows the decoded ID token, the access token, introspection and UserInfo, and refreshes the tokens.
            </p>
          }
        >
          <PlaygroundPanel clientId={app.client_id} status={playgroundStatus(app, getConfig())} actions={{ switch: switchPlaygroundAction, start: startPlaygroundAction }} />
        </Card>
      )}

      <ActivityCard
        activity={activity}
        path={`/dashboard/apps/${encodeURIComponent(clientId)}`}
        idPrefix="app"
        what="Sign-ins that continued an authorization request of this app, consents given to it, the tokens it was issued (refreshes included) and the errors it was sent."
      />

      {metadata && (
        <Card title="Client ID Metadata Document">
          <CimdMetadataPanel
            clientId={app.client_id}
            fetchedAt={metadata.fetchedAt?.toISOString() ?? null}
            expiresAt={metadata.expiresAt?.toISOString() ?? null}
            refreshNow={refreshMetadataAction}
          />
        </Card>
      )}

      <Card title="App type" description={<p>The type is fixed when an app is created. To use another type, create a new app.</p>}>
        <div className="space-y-1 text-sm" data-testid="app-type">
          <p className="font-medium">{label.title}</p>
          <p className="text-slate-600">{label.summary}</p>
          <ul className="list-disc pl-5 text-slate-600">
            {typeFacts(policy, getConfig()).map((fact) => (
              <li key={fact}>{fact}</li>
            ))}
          </ul>
        </div>
      </Card>

      <Card title="Settings">
        <AppSettingsForm
          clientId={app.client_id}
          values={app}
          allowed={{
            consentSkippable: policy.consentSkippable,
            fullAccessEligible: policy.fullAccessEligible,
            deviceFlow: policy.deviceFlow,
            idTokenAlgs: policy.idTokenAlgs,
            redirectHint: redirectUriHint(policy, getConfig()),
            refreshTokensRotate: policy.refreshTokens === "rotate_with_replay_detection",
            authMethods: policy.tokenEndpointAuthMethods,
          }}
          scopeChoices={{
            // full_access only where the policy table allows it at all; the app's own switch is on the form.
            builtIn: Object.entries(STANDARD_SCOPES)
              .filter(([name]) => scopeOfferedToType(app.client_type, name))
              .map(([name, description]) => ({ name, description })),
            custom: customScopes.map(({ name, description }) => ({ name, description })),
          }}
          save={updateAppAction}
        />
      </Card>

      <Card
        title="Authorized users"
        description={<p>People who have authorized this app, with the scopes they granted (the 100 most recent). Revoking ends the app&apos;s tokens for that person at once.</p>}
      >
        <AuthorizedUsers
          appName={app.name}
          users={users.map((g) => ({ ...g.user, scopes: g.scopes, grantedAt: g.grantedAt.toISOString() }))}
          revoke={revokeAppUserAction.bind(null, app.client_id)}
        />
      </Card>

      {signInMethods && (
        <Card
          title="Sign-in methods"
          description={
            <p>
              How people sign in to this app. {policy.signInConnections === "project_and_app" ? "Choose app-level connections for it on a connection's page." : "A third-party app offers project-level connections only."}{" "}
              <Link href="/dashboard/connections" className="text-brand-700 underline">
                Connections
              </Link>
            </p>
          }
        >
          <AppSignInMethods methods={signInMethods} />
        </Card>
      )}

      <Card title="Delete app">
        <DeleteApp clientId={app.client_id} name={app.name} remove={deleteAppAction} />
      </Card>
    </div>
  );
}
