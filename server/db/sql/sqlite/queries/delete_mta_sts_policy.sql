DELETE FROM mta_sts_policies WHERE domain = :domain
