SELECT value FROM meta WHERE name = 'change_serial'
