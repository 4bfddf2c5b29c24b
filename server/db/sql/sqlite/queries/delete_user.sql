DELETE FROM users WHERE login = :login
