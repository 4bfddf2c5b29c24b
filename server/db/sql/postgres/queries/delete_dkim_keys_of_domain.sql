DELETE FROM dkim_keys WHERE domain = :domain
