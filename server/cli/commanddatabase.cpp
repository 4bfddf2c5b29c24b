// See commanddatabase.h.
#include "cli/commanddatabase.h"

#include "db/secretbox.h"

Expected<Database> openCommandDatabase(const QString &configPath, std::optional<Config> *config, bool allowOldSchema)
{
    const auto unavailable
        = [](const QString &message) { return Expected<Database>::failure(ErrorKind::Unavailable, message); };
    if (!*config)
    {
        Expected<Config> loaded = Config::load(configPath);
        if (!loaded)
            return unavailable(loaded.error());
        *config = std::move(loaded).value();
        SecretBox::setKeyFile((*config)->secretKeyPath);
    }
    Expected<Database> db = Database::open((*config)->db, QStringLiteral("cli"));
    if (!db)
        return unavailable(db.error());
    if (!allowOldSchema)
    {
        const Expected<bool> needsUpgrade = db.value().needsUpgrade();
        if (!needsUpgrade)
            return unavailable(needsUpgrade.error());
        if (needsUpgrade.value())
            return unavailable(QStringLiteral("Database '%1' misses some tables; run `tmail db init` first.")
                                   .arg((*config)->db.describe()));
    }
    return db;
}
