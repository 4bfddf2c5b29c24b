DELETE FROM throttles WHERE pattern = :pattern
