DELETE FROM rcpthosts WHERE domain = :domain
