SELECT data FROM queue_bodies WHERE message_id = :message_id AND chunk = :chunk
