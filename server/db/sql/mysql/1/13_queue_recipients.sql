CREATE TABLE IF NOT EXISTS queue_recipients (
    message_id CHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position INT NOT NULL,
    address VARCHAR(320) NOT NULL,
    status SMALLINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (message_id, position),
    CONSTRAINT queue_recipients_message FOREIGN KEY (message_id) REFERENCES queue_messages (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
