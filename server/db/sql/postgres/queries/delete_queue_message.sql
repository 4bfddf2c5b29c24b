DELETE FROM queue_messages WHERE id = :id
