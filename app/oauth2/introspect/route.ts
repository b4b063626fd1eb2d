import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { protocolEndpoint, protocolJson } from "@/lib/oauth/http";
import { introspect } from "@/lib/oauth/introspect";
import { readForm } from "@/lib/oauth/params";

export const dynamic = "force-dynamic";

/** RFC 7662, for resource servers and owners' back ends: not CORS-enabled. */
export async function POST(request: Request): Promise<Response> {
  return protocolEndpoint(false, async () => {
    const form = await readForm(request);
    const body = await introspect(await getPrisma(), getConfig().issuer, { authorization: request.headers.get("authorization"), form });
    return protocolJson(body);
  });
}
