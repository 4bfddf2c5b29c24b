DELETE FROM admins WHERE name = :name
