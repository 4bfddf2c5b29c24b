SELECT id, domain, is_local FROM rcpthosts ORDER BY domain
