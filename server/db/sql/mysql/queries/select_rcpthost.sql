SELECT id FROM rcpthosts WHERE domain = :domain
