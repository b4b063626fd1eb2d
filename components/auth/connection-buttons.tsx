import type { OfferedConnection } from "@/lib/connections/connections";
import { buttonStyles } from "../ui/button-styles";

/**
 * "Continue with {name}" for each sign-in connection the page offers: plain
 * links (a GET to the start route, which sets its own binding cookie), so
 * they work before any script has run.
 */
export function ConnectionButtons({ connections, returnTo }: { connections: OfferedConnection[]; returnTo: string }) {
  if (!connections.length) return null;
  return (
    <ul className="space-y-2" aria-label="Sign in with">
      {connections.map((c) => (
        <li key={c.slug}>
          <a
            className={`${buttonStyles.base} ${buttonStyles.secondary} w-full`}
            href={`/signin/connections/${encodeURIComponent(c.slug)}/start?callbackUrl=${encodeURIComponent(returnTo)}`}
            data-connection={c.slug}
          >
            Continue with {c.name}
          </a>
        </li>
      ))}
    </ul>
  );
}
