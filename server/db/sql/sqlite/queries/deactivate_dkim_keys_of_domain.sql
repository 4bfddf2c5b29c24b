UPDATE dkim_keys SET active = :active WHERE domain = :domain
