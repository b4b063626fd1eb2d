import { Button } from "@/components/ui/button";
import { LinkButton } from "@/components/ui/link-button";
import type { SignOutView } from "@/lib/oauth/end-session";

/**
 * "Sign out of …?": asked when an app requests a sign-out without proving
 * (with an ID token we can verify) that it speaks for the signed-in user. A
 * plain HTML form with the CSRF token, posted to `action`; the page is never
 * framed (frame-ancestors 'none', next.config.ts).
 */
export function SignOutConfirmation({ view, action }: { view: SignOutView; action: string }) {
  const host = new URL(view.issuer).host;
  return (
    <div className="mx-auto max-w-md">
      <section className="rounded-xl border border-slate-200 bg-surface p-5 shadow-sm sm:p-6" aria-labelledby="signout-title">
        <h1 id="signout-title" className="text-lg font-semibold break-words">
          Sign out of {host}?
        </h1>
        {view.appName ? (
          <p className="mt-3 text-sm text-slate-700">
            <strong className="font-semibold" data-testid="signout-app-name">
              {view.appName}
            </strong>{" "}
            asked to sign you out.
          </p>
        ) : (
          <p className="mt-3 text-sm text-slate-700">An app asked to sign you out.</p>
        )}
        {view.email && (
          <p className="mt-2 text-sm text-slate-600">
            You are signed in as <span className="font-medium text-slate-800">{view.email}</span>.
          </p>
        )}
        <form method="post" action={action} className="mt-6 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
          {view.fields.map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="csrf" value={view.csrfToken} />
          <LinkButton href="/account" variant="secondary">
            Stay signed in
          </LinkButton>
          <Button type="submit">Sign out</Button>
        </form>
      </section>
    </div>
  );
}
