DELETE FROM queue_bodies WHERE message_id = :message_id
