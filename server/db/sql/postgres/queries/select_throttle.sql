SELECT id FROM throttles WHERE pattern = :pattern
