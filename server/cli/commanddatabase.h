// The database a command of the command line works on, opened the same way by each.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/database.h"

#include <optional>

// Loads the configuration into *config once (from configPath, as Config::load finds it,
// and sets the route password key file), then opens the database, whose schema must be
// current unless allowOldSchema (db init upgrades it). A configuration or database that
// does not work is no fault of the command's arguments: every failure is Unavailable.
Expected<Database> openCommandDatabase(
    const QString &configPath, std::optional<Config> *config, bool allowOldSchema = false);
