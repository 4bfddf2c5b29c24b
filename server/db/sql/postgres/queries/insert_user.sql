INSERT INTO users (login, password_hash, may_relay, created_at) VALUES (:login, :password_hash, :may_relay, :created_at)
