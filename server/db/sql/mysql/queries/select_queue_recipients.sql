SELECT address, status, last_error, dsn_notify, dsn_orcpt, delay_notified FROM queue_recipients WHERE message_id = :message_id ORDER BY position
