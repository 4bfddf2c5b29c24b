SET client_min_messages = warning
