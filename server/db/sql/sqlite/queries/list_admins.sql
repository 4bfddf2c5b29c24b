SELECT id, name, role, password_hash, created_at FROM admins ORDER BY name
