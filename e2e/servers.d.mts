export declare const E2E_PORT: number;
export declare const OWNER: { email: string; password: string };
export declare const END_USERS: { email: string; password: string; name: string }[];
export declare const FRESH_SERVER_LOG: string;
export declare const PG_TEST_URL: string | undefined;
export declare const PG_PORT: number;
export declare const PG_SCHEMA: string;
export declare function apiKeyFiles(project: string): { active: string; revoked: string };
export declare function e2eDataDir(port: number): string;
