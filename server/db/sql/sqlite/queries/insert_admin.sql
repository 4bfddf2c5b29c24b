INSERT INTO admins (name, role, password_hash, created_at) VALUES (:name, :role, :password_hash, :created_at)
