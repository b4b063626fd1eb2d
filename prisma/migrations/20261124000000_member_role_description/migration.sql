-- The built-in role's description named the wrong place to change the default.
UPDATE "roles" SET "description" = 'Every new user gets the default role (change it on the Roles page or with PUT /api/v1/default-role).'
WHERE "id" = '01936b2a-0000-7000-8000-000000000001' AND "description" = 'Every new user gets this role (configurable in settings).';
