"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import type { CallbackParams, PlaygroundOutcome } from "@/lib/playground/playground";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { LinkButton } from "../ui/link-button";
import { useHydrated } from "../ui/use-hydrated";
import { TokenReportView } from "./token-report-view";

type PlaygroundAction = (form: FormData) => Promise<ActionResult<{ outcome: PlaygroundOutcome }>>;

const SECRET_HINT = "Used for this one request, never stored or logged.";

/**
 * The playground's callback: the code exchanged (at once for a public app;
 * after the owner pastes the secret for a confidential one), the tokens
 * shown, and "Refresh" running the refresh grant. The tokens live only in
 * this page.
 */
export function PlaygroundCallback({
  appHref,
  used,
  needsSecret,
  params,
  actions,
}: {
  appHref: string;
  /** The flow was used before this page loaded (a reload). Read once: the exchange itself makes it true. */
  used: boolean;
  needsSecret: boolean;
  params: CallbackParams;
  actions: { finish: PlaygroundAction; refresh: PlaygroundAction };
}) {
  const [outcome, setOutcome] = useState<PlaygroundOutcome | null>(null);
  const [error, setError] = useState<string | null>(used ? "This playground sign-in was used already. Start again with Try sign-in on the app's page." : null);
  const [refreshes, setRefreshes] = useState(0);
  const [pending, startTransition] = useTransition();
  const started = useRef(false);
  // Before React runs, a submit would be the browser's own: the secret must never ride in a URL, so the buttons wait.
  const hydrated = useHydrated();

  const run = (action: PlaygroundAction, form: FormData, onDone: (outcome: PlaygroundOutcome) => void) => {
    setError(null);
    startTransition(async () => {
      try {
        const result = await action(form);
        if (result.ok) onDone(result.outcome);
        else setError(result.error);
      } catch {
        setError("Something went wrong. Please try again.");
      }
    });
  };
  const finish = (form: FormData) => {
    for (const [name, value] of Object.entries(params)) if (value !== null) form.set(name, value);
    run(actions.finish, form, setOutcome);
  };

  // Nothing to paste (a public app, or an error answer): exchange at once, once.
  const automatic = !needsSecret || params.error !== null;
  useEffect(() => {
    if (!automatic || started.current || error) return;
    started.current = true;
    finish(new FormData());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once, on arrival
  }, []);

  const report = outcome?.ok ? outcome.report : null;
  return (
    <div className="space-y-5">
      {!outcome && !automatic && !pending && !error && (
        <form
          method="post"
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            finish(new FormData(event.currentTarget));
          }}
        >
          <p className="text-sm text-slate-700">The authorization code arrived. A confidential app authenticates at the token endpoint: paste its client secret to exchange the code.</p>
          <Field label="Client secret" name="client_secret" type="password" autoComplete="off" hint={SECRET_HINT} />
          <Button type="submit" disabled={!hydrated}>
            Exchange the code
          </Button>
        </form>
      )}
      {pending && <p role="status" className="text-sm text-slate-600">Talking to the token endpoint…</p>}
      {error && (
        <div className="space-y-3">
          <Alert>{error}</Alert>
          <LinkButton href={appHref} variant="secondary">
            Back to the app
          </LinkButton>
        </div>
      )}
      {outcome && !outcome.ok && (
        <div className="space-y-3" data-testid="playground-refused">
          <Alert>
            {outcome.step === "authorization" ? "The authorization endpoint answered" : "The token endpoint refused"}: {outcome.error}
            {outcome.error_description ? ` (${outcome.error_description})` : ""}
          </Alert>
          <LinkButton href={appHref} variant="secondary">
            Back to the app
          </LinkButton>
        </div>
      )}
      {report && outcome?.ok && (
        <>
          {refreshes > 0 && (
            <Alert tone="success">
              <span data-testid="playground-refreshed">Refreshed {refreshes === 1 ? "once" : `${refreshes} times`}: these are the new tokens.</span>
            </Alert>
          )}
          <TokenReportView report={report} />
          {report.tokens.refresh_token ? (
            <form
              method="post"
              className="space-y-3 rounded-lg border border-slate-200 p-4"
              onSubmit={(event) => {
                event.preventDefault();
                const form = new FormData(event.currentTarget);
                form.set("refresh_token", report.tokens.refresh_token!);
                if (outcome.nonce) form.set("nonce", outcome.nonce);
                run(actions.refresh, form, (next) => {
                  setOutcome(next.ok ? next : outcome);
                  if (next.ok) setRefreshes((n) => n + 1);
                  else setError(`The token endpoint refused: ${next.error} (${next.error_description})`);
                });
              }}
            >
              <h3 className="font-semibold text-slate-900">Refresh</h3>
              <p className="text-sm text-slate-700">Runs the refresh grant (RFC 6749 §6) with the refresh token above, as the app would, and shows the new tokens.</p>
              {needsSecret && <Field label="Client secret" name="client_secret" type="password" autoComplete="off" hint={SECRET_HINT} id="refresh-secret" />}
              <Button type="submit" disabled={pending || !hydrated}>
                Refresh
              </Button>
            </form>
          ) : (
            <p className="text-sm text-slate-600">No refresh token was issued: this sign-in was not granted offline_access.</p>
          )}
          <LinkButton href={appHref} variant="secondary">
            Back to the app
          </LinkButton>
        </>
      )}
    </div>
  );
}
