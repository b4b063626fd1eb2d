import type { TokenReport } from "@/lib/playground/token-report";
import type { Answer } from "@/lib/playground/token-requests";
import { Alert } from "../ui/alert";
import { JsonBlock } from "./json-block";

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="space-y-2" data-testid={testId}>
      <h3 className="font-semibold text-slate-900">{title}</h3>
      {children}
    </section>
  );
}

/** A protocol call's answer: its JSON, or the RFC 6749 error it was refused with; or why it was not made. */
function AnswerView({ label, answer, testId }: { label: string; answer: Answer<Record<string, unknown>> | { skipped: string }; testId: string }) {
  if ("skipped" in answer) return <p className="text-slate-600">{answer.skipped}</p>;
  if (!answer.ok) return <Alert>{`${answer.error}: ${answer.error_description}`}</Alert>;
  return <JsonBlock label={label} value={answer.value} testId={testId} />;
}

/** What a token response held, decoded and checked: the ID token, the access token, introspection and UserInfo. */
export function TokenReportView({ report }: { report: TokenReport }) {
  const { idToken } = report;
  return (
    <div className="space-y-5 text-sm">
      <Section title="Token response" testId="playground-response">
        <JsonBlock label="Token response without the tokens" value={report.response} />
      </Section>
      <Section title="ID token" testId="playground-id-token">
        {idToken ? (
          <>
            <ul className="space-y-1" aria-label="ID token checks">
              {idToken.checks.map((check) => (
                <li key={check.name} className={`[overflow-wrap:anywhere] ${check.ok ? "text-green-800" : "text-red-700"}`} data-testid={`check-${check.name}`}>
                  {check.ok ? "✓" : "✗"} <strong>{check.name}</strong> {check.ok ? "valid" : "invalid"}: {check.detail}
                </li>
              ))}
            </ul>
            <JsonBlock label="ID token header" value={idToken.header} testId="id-token-header" />
            <JsonBlock label="ID token claims" value={idToken.claims} testId="id-token-claims" />
          </>
        ) : (
          <p className="text-slate-600">No ID token: this sign-in was not granted the openid scope.</p>
        )}
      </Section>
      <Section title="Access token" testId="playground-access-token">
        {report.accessTokenJwt ? (
          <>
            <p>A JWT (RFC 9068): its header and claims.</p>
            <JsonBlock label="Access token header" value={report.accessTokenJwt.header} />
            <JsonBlock label="Access token claims" value={report.accessTokenJwt.claims} testId="access-token-claims" />
          </>
        ) : (
          <p>An opaque token: only this server can read it, through introspection.</p>
        )}
        <h4 className="font-medium text-slate-800">Introspection</h4>
        <AnswerView label="Introspection response" answer={report.introspection} testId="introspection" />
      </Section>
      <Section title="UserInfo" testId="playground-userinfo">
        <AnswerView label="UserInfo response" answer={report.userinfo} testId="userinfo" />
      </Section>
      <details className="rounded-lg border border-slate-200 p-3">
        <summary className="cursor-pointer font-medium">The tokens as issued</summary>
        <JsonBlock label="Tokens as issued" value={report.tokens} />
      </details>
    </div>
  );
}
