import Link from "next/link";
import { GRANT_FIELD, GRANTS_MARKER, scopesField } from "@/lib/dashboard/machine-client-form";
import { messagesFor } from "@/lib/dashboard/app-form";

/**
 * The grants of a machine client: one row per resource server of the
 * project (Settings), checked when granted, with the scopes it may ask for.
 */
export function GrantsFieldset({
  resourceServers,
  grants,
  fields,
}: {
  resourceServers: readonly string[];
  grants: readonly { resource: string; scopes: readonly string[] }[];
  fields: Record<string, string> | undefined;
}) {
  const errors = messagesFor(fields, "grants");
  return (
    <fieldset className="space-y-3">
      <legend className="mb-1 font-semibold">Resource servers and scopes</legend>
      <input type="hidden" name={GRANTS_MARKER} value="1" />
      {resourceServers.length === 0 ? (
        <p className="text-sm text-slate-600">
          The project has no resource servers yet. Add your APIs under{" "}
          <Link href="/dashboard/settings" className="text-brand-700 underline">
            Settings
          </Link>
          , then grant them here.
        </p>
      ) : (
        <ul className="space-y-3">
          {resourceServers.map((resource, i) => {
            const grant = grants.find((g) => g.resource === resource);
            return (
              <li key={resource} className="space-y-1 rounded-lg border border-slate-200 p-3">
                <label className="flex items-center gap-2 text-sm font-medium">
                  <input type="checkbox" name={GRANT_FIELD} value={resource} defaultChecked={grant !== undefined} className="size-4 accent-brand-600" />
                  <span className="font-mono break-all">{resource}</span>
                </label>
                <label htmlFor={`grant-scopes-${i}`} className="block text-xs text-slate-600">
                  Scopes it may ask for (separated by spaces)
                </label>
                <input
                  id={`grant-scopes-${i}`}
                  name={scopesField(resource)}
                  defaultValue={grant?.scopes.join(" ") ?? ""}
                  aria-label={`Scopes for ${resource}`}
                  spellCheck={false}
                  autoCapitalize="off"
                  className="block w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm"
                />
              </li>
            );
          })}
        </ul>
      )}
      {errors.map((message) => (
        <p key={message} className="text-sm text-red-700">
          {message}
        </p>
      ))}
    </fieldset>
  );
}
