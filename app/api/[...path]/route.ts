import { unknownEndpointRoute } from "@/lib/http/unknown-endpoint";

/** A path no route here serves: JSON `not_found`, not Next's HTML 404 (lib/http/unknown-endpoint.ts). */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = unknownEndpointRoute;
