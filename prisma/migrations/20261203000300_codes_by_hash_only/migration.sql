-- Codes are found by their hash only. With an index leading with app_id, the
-- code redemption's generic plan (`code_hash = $1 AND app_id = $2 …`, both
-- estimated at one row) could walk every code of the app instead of the
-- unique code_hash: code exchange at half its speed on a grown database.
-- Deleting an app or a user scans a day's codes instead (they are purged a
-- day after they expire).
DROP INDEX "authorization_codes_app_id_idx";
DROP INDEX "authorization_codes_user_id_idx";
