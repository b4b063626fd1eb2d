"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import type { PlaygroundStatus } from "@/lib/playground/playground-uri";
import { ConfirmAction } from "../dashboard/confirm-action";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useHydrated } from "../ui/use-hydrated";

/** writeAppChanges forgets remembered consent whenever the redirect URIs change. */
const CONSENT_NOTE = "As after any change of redirect URIs, the consent people gave this app is forgotten: they are asked again wherever the app asks for consent, and the app's authorized users list starts anew.";

export interface PlaygroundActions {
  switch: (clientId: string, on: boolean, confirmThirdParty: boolean) => Promise<ActionResult>;
  start: (clientId: string) => Promise<ActionResult<{ location: string }>>;
}

/**
 * An app's playground: turn it on (its callback joins the app's redirect
 * URIs through the type's rules; a third-party app asks first), "Try
 * sign-in", turn it off. What the type's rules refuse is said, not bypassed.
 */
export function PlaygroundPanel({ clientId, status, actions }: { clientId: string; status: PlaygroundStatus; actions: PlaygroundActions }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // Until React runs, the button would do nothing: it waits, enabled once a click starts the sign-in.
  const hydrated = useHydrated();
  // The authorization endpoint is a route handler, not a page: a full navigation, as any client's redirect.
  const trySignIn = () => {
    setError(null);
    startTransition(async () => {
      try {
        const result = await actions.start(clientId);
        if (result.ok) window.location.assign(result.location);
        else setError(result.error);
      } catch {
        setError("Something went wrong. Please try again.");
      }
    });
  };
  const switchTo = async (on: boolean, confirm: boolean) => {
    const result = await actions.switch(clientId, on, confirm);
    return result.ok ? null : result.error;
  };

  if (status.keyAuthentication) {
    return (
      <p className="text-sm text-slate-700" data-testid="playground-key-auth">
        This app authenticates with private_key_jwt, and its private key stays with your app: the playground cannot sign its token requests. Try a
        sign-in from your app instead, with one of the snippets under Connect.
      </p>
    );
  }
  return (
    <div className="space-y-3 text-sm text-slate-700" data-testid="playground-panel">
      <p>
        Status: <strong data-testid="playground-status">{status.on ? "on" : "off"}</strong>. Callback:{" "}
        <code className="rounded bg-slate-100 px-1 font-mono break-all">{status.redirectUri}</code>
      </p>
      {status.needsSecret && (
        <p>The token endpoint needs this app&apos;s client secret: you paste it in the playground for each request. It is used for that request only, never stored or logged.</p>
      )}
      {error && <Alert>{error}</Alert>}
      {status.on ? (
        <div className="flex flex-wrap gap-2">
          <Button onClick={trySignIn} disabled={pending || !hydrated}>
            {pending ? "Please wait…" : "Try sign-in"}
          </Button>
          <ConfirmAction trigger="Turn off the playground" title="Turn off the playground?" confirmLabel="Turn off" onConfirm={() => switchTo(false, false)}>
            <p>The callback leaves this app&apos;s redirect URIs: a playground sign-in still under way is then refused. {CONSENT_NOTE}</p>
          </ConfirmAction>
        </div>
      ) : status.refusal ? (
        <Alert>
          The playground cannot be turned on for this app: its type&apos;s redirect-URI rule refuses the callback. {status.refusal}.
        </Alert>
      ) : status.needsConfirmation ? (
        <ConfirmAction
          trigger="Turn on the playground"
          title="Turn on the playground for a third-party app?"
          confirmLabel="Yes, register the callback for this third-party app"
          onConfirm={() => switchTo(true, true)}
        >
          <p>
            This app belongs to another developer. Turning the playground on adds this server&apos;s callback to its redirect URIs, so this app&apos;s
            authorization codes can be sent here until you turn it off. Sign-ins through it still ask for consent, as every third-party app does.
          </p>
          <p>{CONSENT_NOTE}</p>
        </ConfirmAction>
      ) : (
        <ConfirmAction trigger="Turn on the playground" title="Turn on the playground?" confirmLabel="Turn on" onConfirm={() => switchTo(true, false)}>
          <p>This adds the callback above to this app&apos;s redirect URIs, as any redirect URI is added (the app page&apos;s settings show it). {CONSENT_NOTE}</p>
        </ConfirmAction>
      )}
    </div>
  );
}
