INSERT INTO rcpthosts (domain, is_local) VALUES (:domain, :is_local)
