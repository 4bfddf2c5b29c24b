// Every TMAIL_* variable tmail knows: its default, what it accepts, whether a reload applies
// it, and its description, written here once for `tmail --help`, the manager's
// Configuration page and resources/tmail.cfg.base (tst_config checks the file agrees).
#pragma once

#include <QHash>
#include <QList>
#include <QString>

struct ConfigVariable
{
    enum class Type
    {
        Text, // checked by Config::fromVariables
        Boolean, // true/false, yes/no, 1/0
        WholeNumber, // digits only, from minimum to maximum
    };

    QString name;
    QString defaultValue; // taken when the variable is not set
    QString example; // what tmail.cfg.base sets when it is not the default
    const char *group; // its section of tmail.cfg.base, English
    const char *summary; // one line, English
    const char *explanation; // more lines for tmail.cfg.base and the manager, English (may be empty)
    Type type = Type::Text;
    qint64 minimum = 0;
    qint64 maximum = 0;
    bool live = false; // a reload applies it to the running daemon (Config::takeLiveSettings)
    bool secret = false; // it may hold a password (a password=… field), never shown

    // value as it may be shown (`tmail config show`): a secret's password fields masked.
    QString shownValue(const QString &value) const;

    // Its texts, in English (the daemon, the manager protocol, tmail.cfg.base) or in the
    // application's language (the manager's windows), from the "Config" translation context.
    enum class Language
    {
        English,
        Translated,
    };
    QString groupTitle(Language language) const;
    QString description(Language language) const;
    QString accepted(Language language) const; // "Accepted: 1 to 86400." for numbers and booleans, else empty
    QString details(Language language) const; // explanation and accepted(), one per line; may be empty
    // The comment above the variable in tmail.cfg.base: description() then details().
    QString comment(Language language) const;
    // The value tmail.cfg.base sets: example, or the default.
    QString baseValue() const { return example.isEmpty() ? defaultValue : example; }
};

class ConfigRegistry
{
public:
    // In the order of tmail.cfg.base.
    static const QList<ConfigVariable> &variables();
    static const ConfigVariable *variable(const QString &name); // nullptr when unknown

    // Every variable of variables(), missing ones with their default, values trimmed:
    // the form in which two configurations are compared.
    static QHash<QString, QString> effectiveValues(const QHash<QString, QString> &values);
};
