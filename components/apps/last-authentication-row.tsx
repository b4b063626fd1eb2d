import { DateTime } from "../dashboard/date-time";

/**
 * The "Last authenticated" entry of a client's Credentials list (apps and
 * machine clients). Public clients have no credential, so for them it is the
 * last token request that named them.
 */
export function LastAuthenticationRow({ value, confidential }: { value: { at: Date; method: string } | null; confidential: boolean }) {
  return (
    <div className="space-y-1" data-testid="last-authenticated">
      <dt className="font-medium text-slate-700">{confidential ? "Last authenticated" : "Last token request"}</dt>
      <dd className="text-slate-700">
        {value ? (
          <>
            <DateTime value={value.at} /> with <code className="font-mono text-xs">{value.method}</code>
          </>
        ) : (
          <span>Never</span>
        )}
        <span className="block text-xs text-slate-500">
          At the token, introspection or revocation endpoint; recorded at most once a minute.
        </span>
      </dd>
    </div>
  );
}
