import { discoveryResponse } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = discoveryResponse;
