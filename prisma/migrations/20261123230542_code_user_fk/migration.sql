-- Codes of users deleted before this constraint existed can never be redeemed.
DELETE FROM "authorization_codes" c WHERE NOT EXISTS (SELECT 1 FROM "users" u WHERE u.id = c.user_id);

-- AddForeignKey
ALTER TABLE "authorization_codes" ADD CONSTRAINT "authorization_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
