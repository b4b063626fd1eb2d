import { readCappedBody } from "@/lib/capped-body";
import { deleteRegistration, readRegistration, updateRegistration } from "@/lib/clients/dcr";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { CORS_HEADERS, preflight, protocolEndpoint, protocolJson } from "@/lib/oauth/http";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ client_id: string }> };

async function context() {
  return { prisma: await getPrisma(), config: getConfig() };
}

/** RFC 7592 §2.1: read the registration. */
export async function GET(request: Request, { params }: Params): Promise<Response> {
  return protocolEndpoint({ cors: true }, async () => {
    const { client_id } = await params;
    return protocolJson(await readRegistration(await context(), client_id, request.headers.get("authorization")), { cors: true });
  });
}

/** RFC 7592 §2.2: replace the registration's metadata. */
export async function PUT(request: Request, { params }: Params): Promise<Response> {
  return protocolEndpoint({ cors: true }, async () => {
    const { client_id } = await params;
    const ctx = await context();
    const body = await readCappedBody(request, ctx.config.dcr.maxBodyBytes);
    return protocolJson(await updateRegistration(ctx, client_id, { headers: request.headers, body }), { cors: true });
  });
}

/** RFC 7592 §2.3: delete the client. */
export async function DELETE(request: Request, { params }: Params): Promise<Response> {
  return protocolEndpoint({ cors: true }, async () => {
    const { client_id } = await params;
    await deleteRegistration(await context(), client_id, request.headers.get("authorization"));
    return new Response(null, { status: 204, headers: { ...CORS_HEADERS, "Cache-Control": "no-store" } });
  });
}

export const OPTIONS = () => preflight("GET, PUT, DELETE");
