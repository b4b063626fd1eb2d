import type { GettingStartedStep } from "@/lib/dashboard/overview";
import { LinkButton } from "../ui/link-button";

type Step = GettingStartedStep;

/** What each step asks the owner to do next, and where. */
const NEXT: Record<Step["id"], { text: string; href: string; action: string }> = {
  owner: { text: "You are signed in as the owner.", href: "/dashboard", action: "" },
  app: { text: "Pick the app's type (your web app with a backend is first-party confidential) and its redirect URI.", href: "/dashboard/apps/new", action: "Create app" },
  "sign-in": { text: "Paste the code from your app's Connect panel into your app, then sign in through it.", href: "/dashboard/apps", action: "Open your apps" },
  token: { text: "Your app redeems the code at the token endpoint; the Connect panel's snippet does it after the redirect back.", href: "/dashboard/apps", action: "Open your apps" },
};

/** The getting-started checklist: done steps ticked, the first open one with its next action. */
export function GettingStarted({ steps }: { steps: Step[] }) {
  const current = steps.find((s) => !s.done)?.id;
  return (
    <ol className="space-y-3" data-testid="getting-started">
      {steps.map((step, i) => (
        <li key={step.id} className="flex gap-3" data-testid={`step-${step.id}`} data-done={step.done}>
          <span
            aria-hidden="true"
            className={`flex h-7 w-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${step.done ? "bg-green-700 text-white" : "border border-slate-400 text-slate-700"}`}
          >
            {step.done ? "✓" : i + 1}
          </span>
          <div className="min-w-0 space-y-2">
            <p className={step.done ? "text-slate-600" : "font-medium"}>
              {step.title}
              <span className="sr-only">{step.done ? " (done)" : " (to do)"}</span>
            </p>
            {step.id === current && (
              <>
                <p className="text-sm text-slate-600">{NEXT[step.id].text}</p>
                {NEXT[step.id].action && <LinkButton href={NEXT[step.id].href}>{NEXT[step.id].action}</LinkButton>}
              </>
            )}
          </div>
        </li>
      ))}
      {!current && <li className="text-sm text-slate-600">All done: an app signed a user in and got tokens.</li>}
    </ol>
  );
}
