UPDATE queue_messages SET held = :held WHERE id = :id
