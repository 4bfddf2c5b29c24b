CREATE TABLE IF NOT EXISTS queue_bodies (
    message_id CHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    chunk INT NOT NULL,
    data MEDIUMBLOB NOT NULL,
    PRIMARY KEY (message_id, chunk),
    CONSTRAINT queue_bodies_message FOREIGN KEY (message_id) REFERENCES queue_messages (id) ON DELETE CASCADE
) ENGINE=InnoDB
