import { CLIENT_TYPE_LABELS, policyFor, type ClientType } from "@/lib/clients/policy";
import { Badge } from "../ui/badge";

/** The app's type as a badge: first-party and third-party in different colours. */
export function TypeBadge({ type }: { type: ClientType }) {
  const policy = policyFor(type);
  return <Badge tone={policy.ownership === "first_party" ? "brand" : "violet"}>{CLIENT_TYPE_LABELS[type].title}</Badge>;
}
