DELETE FROM routes WHERE id = :id
