UPDATE queue_messages SET store_key = :store_key WHERE id = :id
