import { readCappedBody } from "@/lib/capped-body";
import { deleteRegistration, readRegistration, updateRegistration } from "@/lib/clients/dcr";
import { registrationRoute } from "@/lib/http/protocol-route";
import { CORS_HEADERS, preflight, protocolJson } from "@/lib/oauth/http";

export const dynamic = "force-dynamic";

type Params = { client_id: string };

/** RFC 7592 §2.1: read the registration. */
export const GET = registrationRoute<Params>(async (ctx, request, { client_id }) =>
  protocolJson(await readRegistration(ctx, client_id, request.headers.get("authorization")), { cors: true }),
);

/** RFC 7592 §2.2: replace the registration's metadata. */
export const PUT = registrationRoute<Params>(async (ctx, request, { client_id }) => {
  const body = await readCappedBody(request, ctx.config.dcr.maxBodyBytes);
  return protocolJson(await updateRegistration(ctx, client_id, { headers: request.headers, body }), { cors: true });
});

/** RFC 7592 §2.3: delete the client. */
export const DELETE = registrationRoute<Params>(async (ctx, request, { client_id }) => {
  await deleteRegistration(ctx, client_id, request.headers.get("authorization"));
  return new Response(null, { status: 204, headers: { ...CORS_HEADERS, "Cache-Control": "no-store" } });
});

export const OPTIONS = () => preflight("GET, PUT, DELETE");
