"use client";

import { usePathname, useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { ConfirmAction } from "../dashboard/confirm-action";
import { OneTimeSecret } from "../dashboard/one-time-secret";
import { useOneTimeSecret } from "../dashboard/use-one-time-secret";

export interface SecretActions {
  start: (clientId: string) => Promise<ActionResult<{ clientSecret: string }>>;
  complete: (clientId: string) => Promise<ActionResult>;
  cancel: (clientId: string) => Promise<ActionResult>;
}

function Last4({ value, testId }: { value: string; testId: string }) {
  return (
    <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono" data-testid={testId}>
      …{value}
    </code>
  );
}

/**
 * A confidential app's secret: the last four characters of the current one,
 * and rotation as in Stytch: start (a second secret, shown once here; both
 * work), then complete (the new one becomes the only one) or cancel.
 */
export function AppSecretPanel({
  clientId,
  currentLast4,
  nextLast4,
  actions,
}: {
  clientId: string;
  currentLast4: string | null;
  nextLast4: string | null;
  actions: SecretActions;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [issued, setIssued, clearIssued] = useOneTimeSecret<string>();

  if (issued) {
    return (
      <OneTimeSecret
        title="New client secret: save it now"
        what="client secret"
        ifLost="cancel this rotation and start a new one"
        values={[{ label: "New client secret", value: issued, secret: true }]}
        onContinue={() => {
          clearIssued();
          router.replace(pathname);
        }}
      />
    );
  }

  async function start() {
    const result = await actions.start(clientId);
    if (!result.ok) return result.error;
    setIssued(result.clientSecret);
    return null;
  }
  const complete = async () => {
    const result = await actions.complete(clientId);
    return result.ok ? null : result.error;
  };
  const cancel = async () => {
    const result = await actions.cancel(clientId);
    return result.ok ? null : result.error;
  };

  return (
    <div className="space-y-3 text-sm">
      <p>
        Current secret: {currentLast4 ? <Last4 value={currentLast4} testId="current-secret-last4" /> : "none"}
      </p>
      {nextLast4 ? (
        <>
          <div className="space-y-1 rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950" role="status">
            <p className="font-medium">
              Rotation in progress. New secret: <Last4 value={nextLast4} testId="next-secret-last4" />
            </p>
            <p>Both secrets work until you complete or cancel the rotation.</p>
          </div>
          <div className="flex flex-wrap items-start gap-2">
            <ConfirmAction
              trigger="Complete rotation"
              triggerVariant="primary"
              title="Complete the rotation?"
              confirmLabel="Yes, complete rotation"
              confirmVariant="danger"
              onConfirm={complete}
            >
              <p>
                The old secret{currentLast4 && <> (…{currentLast4})</>} <strong>stops working immediately</strong>. Only
                the new secret (…{nextLast4}) will work. Make sure everything that uses this app has the new secret
                first.
              </p>
            </ConfirmAction>
            <ConfirmAction
              trigger="Cancel rotation"
              title="Cancel the rotation?"
              confirmLabel="Yes, cancel rotation"
              confirmVariant="danger"
              onConfirm={cancel}
            >
              <p>
                The new secret (…{nextLast4}) stops working immediately and is discarded. The current secret
                {currentLast4 && <> (…{currentLast4})</>} stays the only one.
              </p>
            </ConfirmAction>
          </div>
        </>
      ) : (
        <ConfirmAction
          trigger="Rotate secret"
          title="Start a secret rotation?"
          confirmLabel="Create a new secret"
          onConfirm={start}
        >
          <p>
            A new secret is created and shown once. The current secret keeps working too, until you complete the
            rotation, so you can update your app without downtime.
          </p>
        </ConfirmAction>
      )}
    </div>
  );
}
