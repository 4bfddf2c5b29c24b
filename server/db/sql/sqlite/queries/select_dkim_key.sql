SELECT id FROM dkim_keys WHERE domain = :domain AND selector = :selector
