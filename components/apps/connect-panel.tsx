import { CopyableRow } from "../dashboard/copyable-row";
import { CopyButton } from "../ui/copy-button";

/**
 * The Connect panel of an app's page: what a client developer configures,
 * each value with a copy button, and ready-to-paste code for the app's type
 * (built by lib/dashboard/connect-snippets.ts).
 */
export function ConnectPanel({
  clientId,
  endpoints,
  snippets,
  openApiUrl,
}: {
  clientId: string;
  endpoints: { label: string; value: string }[];
  snippets: { id: string; title: string; text: string }[];
  openApiUrl: string;
}) {
  return (
    <div className="space-y-6" data-testid="connect-panel">
      <dl className="space-y-4 text-sm">
        {endpoints.map(({ label, value }) => (
          <CopyableRow key={label} label={label} value={value} copyLabel={`Copy ${label}`} testId={`connect-${slug(label)}`} />
        ))}
        <CopyableRow label="Client ID" value={clientId} copyLabel="Copy client ID for your code" testId="connect-client-id" />
      </dl>
      <div className="space-y-3">
        <h3 className="font-medium">Code for this app</h3>
        {snippets.map((snippet, i) => (
          <details key={snippet.id} open={i === 0} className="rounded-lg border border-slate-200" data-testid={`snippet-${snippet.id}`}>
            <summary className="cursor-pointer px-3 py-2 text-sm font-medium">{snippet.title}</summary>
            <div className="space-y-2 border-t border-slate-200 p-3">
              <CopyButton value={snippet.text} label={`Copy ${snippet.title} snippet`} />
              <pre className="overflow-x-auto rounded-lg bg-slate-100 p-3 text-xs leading-relaxed" tabIndex={0} aria-label={`${snippet.title} snippet`}>
                <code>{snippet.text}</code>
              </pre>
            </div>
          </details>
        ))}
      </div>
      <p className="text-sm text-slate-600">
        Reference: the{" "}
        <a href={openApiUrl} className="text-brand-700 underline">
          OpenAPI document of the management API
        </a>{" "}
        and, in the project&apos;s repository, README.md (&ldquo;Connect your first app in 5 minutes&rdquo;) and docs/reference/connect-your-app.md.
      </p>
    </div>
  );
}

const slug = (label: string) => label.toLowerCase().replace(/[^a-z]+/g, "-");
