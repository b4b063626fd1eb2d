import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ConsentView } from "@/lib/oauth/authorize/flow";

/**
 * The consent screen. A plain HTML form (works without JavaScript) posting
 * to the decision endpoint with the CSRF token; the page is never framed
 * (frame-ancestors 'none', next.config.ts). The device page uses it too,
 * with its own `action` and a `notice` about the device.
 */
export function ConsentPanel({
  view,
  account,
  action = "/oauth2/authorize/decision",
  notice,
}: {
  view: ConsentView;
  account: { email: string; name: string | null } | null;
  action?: string;
  notice?: ReactNode;
}) {
  const { app } = view;
  const firstParty = app.ownership === "first_party";
  return (
    <div className="mx-auto max-w-md">
      <section className="rounded-xl border border-slate-200 bg-surface p-5 shadow-sm sm:p-6" aria-labelledby="consent-title">
        <div className="flex items-center gap-3">
          {app.logoUri ? (
            // eslint-disable-next-line @next/next/no-img-element -- an external logo URL chosen by the app
            <img src={app.logoUri} alt="" width={48} height={48} className="h-12 w-12 shrink-0 rounded-lg border border-slate-200 object-cover" referrerPolicy="no-referrer" />
          ) : (
            <div aria-hidden className="flex h-12 w-12 shrink-0 items-center justify-center rounded-lg bg-slate-100 text-lg font-semibold text-slate-600">
              {app.name.slice(0, 1).toUpperCase()}
            </div>
          )}
          <div className="min-w-0">
            <h1 id="consent-title" className="text-lg font-semibold break-words" data-testid="consent-app-name">
              {app.name}
            </h1>
            <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
              {app.clientIdHost ? (
                // A CIMD app: anyone can publish a document with any name and logo; the host is what identifies it.
                <span data-testid="consent-client-id-host" className="font-semibold text-slate-900">
                  {app.clientIdHost}
                </span>
              ) : (
                app.clientUriHost && <span data-testid="consent-app-host">{app.clientUriHost}</span>
              )}
              <Badge tone={firstParty ? "green" : "violet"}>{firstParty ? "First-party app" : "Third-party app"}</Badge>
            </div>
          </div>
        </div>
        {account && (
          <div className="mt-5 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 rounded-lg bg-slate-50 px-3 py-2 text-sm" data-testid="consent-account">
            <span className="min-w-0 break-words text-slate-700">
              Signed in as <strong className="font-semibold text-slate-900">{account.name ? `${account.name} (${account.email})` : account.email}</strong>
            </span>
            <a href={view.switchAccountPath} className="text-brand-700 underline">
              Not you? Use another account
            </a>
          </div>
        )}
        <p className="mt-5 text-sm text-slate-700">
          <strong className="font-semibold">{app.name}</strong> wants to access your account.
          {!firstParty && " It is not made by the owner of this site."}
        </p>
        {app.clientIdHost && (
          <p className="mt-2 text-sm text-slate-700" data-testid="consent-client-id-note">
            Its name and logo were published by <strong className="font-semibold break-all">{app.clientIdHost}</strong>.
            Continue only if you trust that site.
          </p>
        )}
        {app.redirectHost && (
          <p className="mt-2 text-sm text-slate-700" data-testid="consent-redirect-host">
            Whatever you choose, you will then be sent to{" "}
            <strong className="font-semibold break-all">{app.redirectHost}</strong>. This app registered itself: its name
            and logo are its own claim.
          </p>
        )}
        {notice}
        {app.localhostOnly && (
          <div className="mt-4" data-testid="consent-localhost-warning">
            <Alert tone="warning">
              This app sends you back only to a program on this device (localhost). Allow it only if you have just
              started {app.name} yourself on this computer.
            </Alert>
          </div>
        )}
        {view.fullAccess && (
          <div className="mt-4" data-testid="consent-full-access">
            <Alert tone="warning">
              <strong className="font-semibold">Full access.</strong> {app.name} will be able to act as you with
              everything your account can do, including signing you in on this site.
            </Alert>
          </div>
        )}
        {view.scopes.length > 0 ? (
          <>
            <p className="mt-4 text-sm font-medium text-slate-800">It will be able to:</p>
            <ul className="mt-2 space-y-2" data-testid="consent-scopes">
              {view.scopes.map((scope) => (
                <li key={scope.name} className="flex gap-2 text-sm text-slate-700">
                  <span aria-hidden className="text-brand-600">✓</span>
                  <span>
                    {scope.description} <code className="text-xs text-slate-500">{scope.name}</code>
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          !view.fullAccess && <p className="mt-4 text-sm text-slate-700">It asks for no access beyond knowing that you approved it.</p>
        )}
        {view.ungrantable.length > 0 && (
          <>
            <p className="mt-4 text-sm font-medium text-slate-800">It also asked for access you cannot give:</p>
            <ul className="mt-2 space-y-2" data-testid="consent-ungrantable">
              {view.ungrantable.map((scope) => (
                <li key={scope.name} className="flex gap-2 text-sm text-slate-500">
                  <span aria-hidden>✕</span>
                  <span>
                    You don&apos;t have permission to: {scope.description.charAt(0).toLowerCase() + scope.description.slice(1)}{" "}
                    <code className="text-xs text-slate-500">{scope.name}</code>
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
        <form method="post" action={action} className="mt-6 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
          <input type="hidden" name="request" value={view.requestId} />
          <input type="hidden" name="csrf" value={view.csrfToken} />
          <Button type="submit" name="decision" value="deny" variant="secondary">
            Deny
          </Button>
          <Button type="submit" name="decision" value="allow">
            Allow
          </Button>
        </form>
        <p className="mt-4 text-xs text-slate-500">You can revoke this access at any time on your account page.</p>
      </section>
    </div>
  );
}
