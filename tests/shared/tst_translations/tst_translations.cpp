// The translation sources in translations/: the French is complete, each translation keeps the
// placeholders and the keyboard shortcut of its source, shortcuts do not collide within one
// context (one page, dialog or window), the English file holds the plural forms, and lupdate
// would not change either file, so a new tr() string without its French fails here.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <map>
#include <set>

namespace {

const QString sourceDir = QStringLiteral(TMAIL_SOURCE_DIR);

// One <message> of a .ts file.
struct TsMessage
{
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QString type; // "unfinished", "vanished", "obsolete" or empty when finished
    QString translation;
    QStringList forms; // numerus forms
    qint64 lineNumber = 0;

    // Where a failure points the translator: the context, the source and the line in the .ts.
    QString where() const
    {
        return QStringLiteral("%1 / \"%2\" (line %3)").arg(context, source, QString::number(lineNumber));
    }
    QStringList translations() const { return numerus ? forms : QStringList { translation }; }
};

struct TsFile
{
    QString language;
    QList<TsMessage> messages;
    QString error;
};

TsFile readTs(const QString &path)
{
    TsFile file;
    QFile device(path);
    if (!device.open(QIODevice::ReadOnly))
    {
        file.error = QStringLiteral("cannot read %1").arg(path);
        return file;
    }
    QXmlStreamReader xml(&device);
    QString context;
    while (!xml.atEnd())
    {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("TS"))
        {
            file.language = xml.attributes().value(QLatin1String("language")).toString();
        }
        else if (xml.name() == QLatin1String("name"))
        {
            context = xml.readElementText();
        }
        else if (xml.name() == QLatin1String("message"))
        {
            TsMessage message;
            message.context = context;
            message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            message.lineNumber = xml.lineNumber();
            while (xml.readNextStartElement())
            {
                if (xml.name() == QLatin1String("source"))
                {
                    message.source = xml.readElementText();
                }
                else if (xml.name() == QLatin1String("comment"))
                {
                    message.comment = xml.readElementText();
                }
                else if (xml.name() == QLatin1String("translation"))
                {
                    message.type = xml.attributes().value(QLatin1String("type")).toString();
                    if (message.numerus)
                    {
                        while (xml.readNextStartElement())
                        {
                            if (xml.name() == QLatin1String("numerusform"))
                                message.forms.append(xml.readElementText());
                            else
                                xml.skipCurrentElement();
                        }
                    }
                    else
                    {
                        message.translation = xml.readElementText();
                    }
                }
                else
                {
                    xml.skipCurrentElement();
                }
            }
            file.messages.append(message);
        }
    }
    if (xml.hasError())
        file.error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return file;
}

QString tsPath(const QString &language)
{
    return sourceDir + QStringLiteral("/translations/tmail_") + language + QStringLiteral(".ts");
}

// %1…%99 and %n (with or without the L of a localised number), as QString::arg and tr() read them.
std::set<QString> placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?(\\d{1,2}|n)"));
    std::set<QString> found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found.insert(QLatin1Char('%') + it.next().captured(1));
    return found;
}

QString joined(const std::set<QString> &items)
{
    QStringList list(items.begin(), items.end());
    return list.isEmpty() ? QStringLiteral("none") : list.join(QLatin1Char(' '));
}

// The shortcut letter a widget takes from "&X" (lower case), or a null QChar. A text that ends as a
// sentence is a message or a description, never a button or a label's text: its "&" is literal
// ("a&b failover."). "&&" is a literal "&"; "&amp;"-like entities are not shortcuts.
QChar mnemonic(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.endsWith(QLatin1Char('.')) || trimmed.endsWith(QLatin1Char('!')) || trimmed.endsWith(QLatin1Char('?')))
        return {};
    for (qsizetype i = 0; i + 1 < text.size(); ++i)
    {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        const QChar next = text.at(i + 1);
        if (next == QLatin1Char('&'))
        {
            ++i;
            continue;
        }
        if (next.isSpace() || !next.isPrint())
            continue;
        qsizetype end = i + 1;
        while (end < text.size() && text.at(end).isLetter() && text.at(end).unicode() < 128)
            ++end;
        if (end < text.size() && end > i + 1 && text.at(end) == QLatin1Char(';'))
            return {}; // an HTML entity: rich text has no shortcuts
        return next.toCaseFolded();
    }
    return {};
}

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
    {
        const QString file = it.next();
        const QString target = to + QLatin1Char('/') + QDir(from).relativeFilePath(file);
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void frenchIsComplete();
    void bounceReadsAsNonDelivery();
    void placeholdersMatchTheSource_data();
    void placeholdersMatchTheSource();
    void englishHoldsOnlyThePluralForms();
    void shortcutsDoNotCollideInAContext_data();
    void shortcutsDoNotCollideInAContext();
    void lupdateWouldNotChangeTheFiles();
};

void TestTranslations::frenchIsComplete()
{
    const TsFile french = readTs(tsPath(QStringLiteral("fr")));
    QVERIFY2(french.error.isEmpty(), qPrintable(french.error));
    QCOMPARE(french.language, QStringLiteral("fr_FR"));
    QVERIFY(french.messages.size() > 100);
    QStringList problems;
    for (const TsMessage &message : french.messages)
    {
        if (!message.type.isEmpty())
            problems.append(QStringLiteral("%1 is %2").arg(message.where(), message.type));
        if (message.numerus && message.forms.size() != 2)
            problems.append(QStringLiteral("%1 has %2 plural forms, French has 2 (one, other)")
                                .arg(message.where(), QString::number(message.forms.size())));
        for (const QString &text : message.translations())
        {
            if (text.trimmed().isEmpty())
                problems.append(QStringLiteral("%1 has an empty translation").arg(message.where()));
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

// A bounce gives up on a message and tells its sender: in French a "non-remise" (or the message
// "retourné à l'expéditeur"), never "renvoyer", which reads as sending it again.
void TestTranslations::bounceReadsAsNonDelivery()
{
    const TsFile french = readTs(tsPath(QStringLiteral("fr")));
    QVERIFY2(french.error.isEmpty(), qPrintable(french.error));
    static const QRegularExpression bounce(QStringLiteral("bounce|return(ed)? .*to (its )?sender|non-delivery"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression nonDelivery(
        QStringLiteral("non-remise|retourn\\S* (le message \\S+ )?à (son|l’)\\s?expéditeur"),
        QRegularExpression::CaseInsensitiveOption);
    QStringList problems;
    int checked = 0;
    for (const TsMessage &message : french.messages)
    {
        for (const QString &text : message.translations())
        {
            if (text.contains(QLatin1String("renvoy"), Qt::CaseInsensitive)
                || text.contains(QLatin1String("renvoi"), Qt::CaseInsensitive))
                problems.append(QStringLiteral("%1: \"%2\" says resend").arg(message.where(), text));
            if (!bounce.match(QString(message.source).remove(QLatin1Char('&'))).hasMatch())
                continue;
            ++checked;
            if (!nonDelivery.match(QString(text).remove(QLatin1Char('&'))).hasMatch())
                problems.append(QStringLiteral("%1: \"%2\" does not say non-remise").arg(message.where(), text));
        }
    }
    QVERIFY2(checked >= 5, qPrintable(QString::number(checked)));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::placeholdersMatchTheSource_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("French") << QStringLiteral("fr");
    QTest::newRow("English plurals") << QStringLiteral("en");
}

void TestTranslations::placeholdersMatchTheSource()
{
    QFETCH(QString, language);
    const TsFile file = readTs(tsPath(language));
    QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
    QStringList problems;
    for (const TsMessage &message : file.messages)
    {
        const std::set<QString> expected = placeholders(message.source);
        for (const QString &text : message.translations())
        {
            const std::set<QString> found = placeholders(text);
            if (found != expected)
                problems.append(QStringLiteral("%1: \"%2\" has %3, the source has %4")
                                    .arg(message.where(), text, joined(found), joined(expected)));
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::englishHoldsOnlyThePluralForms()
{
    const TsFile english = readTs(tsPath(QStringLiteral("en")));
    QVERIFY2(english.error.isEmpty(), qPrintable(english.error));
    const TsFile french = readTs(tsPath(QStringLiteral("fr")));
    QVERIFY2(french.error.isEmpty(), qPrintable(french.error));
    QCOMPARE(english.language, QStringLiteral("en_US"));

    QStringList problems;
    std::set<std::pair<QString, QString>> englishPlurals;
    for (const TsMessage &message : english.messages)
    {
        if (!message.numerus)
        {
            problems.append(QStringLiteral("%1 is not a plural form (lupdate -pluralonly)").arg(message.where()));
            continue;
        }
        englishPlurals.insert({ message.context, message.source });
        if (!message.type.isEmpty())
            problems.append(QStringLiteral("%1 is %2").arg(message.where(), message.type));
        if (message.forms.size() != 2)
            problems.append(QStringLiteral("%1 has %2 plural forms, English has 2 (one, other)")
                                .arg(message.where(), QString::number(message.forms.size())));
        for (const QString &form : std::as_const(message.forms))
        {
            if (form.trimmed().isEmpty() || form.contains(QLatin1String("(s)")))
                problems.append(QStringLiteral("%1: plural form \"%2\" is not spelt out").arg(message.where(), form));
        }
    }
    int frenchPlurals = 0;
    for (const TsMessage &message : french.messages)
    {
        if (!message.numerus)
            continue;
        ++frenchPlurals;
        if (!englishPlurals.count({ message.context, message.source }))
            problems.append(QStringLiteral("%1 has no English plural forms").arg(message.where()));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QVERIFY2(frenchPlurals > 0, "the manager has plural strings (\"%n minute(s) ago\")");
    QCOMPARE(int(englishPlurals.size()), frenchPlurals);
}

void TestTranslations::shortcutsDoNotCollideInAContext_data()
{
    QTest::addColumn<bool>("french");
    QTest::newRow("English") << false;
    QTest::newRow("French") << true;
}

// A tr() context is one class: one page, dialog or the main window's menus, whose shortcuts the
// user reaches with Alt+letter at the same time. Two texts with the same letter make Qt cycle
// between the widgets instead of activating one.
void TestTranslations::shortcutsDoNotCollideInAContext()
{
    QFETCH(bool, french);
    const TsFile file = readTs(tsPath(QStringLiteral("fr")));
    QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
    QStringList problems;
    std::map<std::pair<QString, QChar>, const TsMessage *> taken;
    int shortcuts = 0;
    for (const TsMessage &message : file.messages)
    {
        if (message.numerus)
            continue;
        const QChar sourceKey = mnemonic(message.source);
        const QChar translationKey = mnemonic(message.translation);
        if (french && sourceKey.isNull() != translationKey.isNull())
        {
            problems.append(QStringLiteral("%1: \"%2\" %3 a shortcut, its source %4")
                                .arg(message.where(), message.translation,
                                    translationKey.isNull() ? QStringLiteral("lacks") : QStringLiteral("has"),
                                    sourceKey.isNull() ? QStringLiteral("has none") : QStringLiteral("has one")));
        }
        const QChar key = french ? translationKey : sourceKey;
        if (key.isNull())
            continue;
        ++shortcuts;
        const auto [it, inserted] = taken.insert({ { message.context, key }, &message });
        if (!inserted)
        {
            const TsMessage &other = *it->second;
            problems.append(QStringLiteral("%1: \"%2\" and \"%3\" both use Alt+%4")
                                .arg(message.context, french ? other.translation : other.source,
                                    french ? message.translation : message.source, QString(key.toUpper())));
        }
    }
    QVERIFY(shortcuts > 20);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::lupdateWouldNotChangeTheFiles()
{
    const QString lupdate = QStringLiteral(QT_HOST_BINS "/lupdate");
    QVERIFY2(QFile::exists(lupdate), "lupdate is missing: scripts/install-deps.sh installs qt6-l10n-tools");
    // translations/update.sh itself, on a copy of the sources it reads and of the files it writes.
    QTemporaryDir copy;
    QVERIFY(copy.isValid());
    for (const QString &folder : { QStringLiteral("gui"), QStringLiteral("shared") })
        QVERIFY(copyTree(sourceDir + QLatin1Char('/') + folder, copy.filePath(folder)));
    QVERIFY(QDir().mkpath(copy.filePath(QStringLiteral("translations"))));
    const QStringList files { QStringLiteral("tmail_fr.ts"), QStringLiteral("tmail_en.ts"),
        QStringLiteral("update.sh") };
    for (const QString &name : files)
        QVERIFY(QFile::copy(sourceDir + QStringLiteral("/translations/") + name,
            copy.filePath(QStringLiteral("translations/") + name)));

    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LUPDATE"), lupdate);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral("bash"), { copy.filePath(QStringLiteral("translations/update.sh")) });
    QVERIFY(process.waitForFinished(120000));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
        process.readAllStandardError().constData());

    for (const QString &name : { QStringLiteral("tmail_fr.ts"), QStringLiteral("tmail_en.ts") })
    {
        QFile original(sourceDir + QStringLiteral("/translations/") + name);
        QFile updated(copy.filePath(QStringLiteral("translations/") + name));
        QVERIFY(original.open(QIODevice::ReadOnly) && updated.open(QIODevice::ReadOnly));
        const QList<QByteArray> before = original.readAll().split('\n');
        const QList<QByteArray> after = updated.readAll().split('\n');
        qsizetype line = 0;
        while (line < before.size() && line < after.size() && before.at(line) == after.at(line))
            ++line;
        if (line == before.size() && line == after.size())
            continue;
        QFAIL(qPrintable(QStringLiteral("translations/%1 is not current with the sources (first change at line %2: "
                                        "\"%3\"): run translations/update.sh, then translate the new "
                                        "strings (translations/README.md)")
                             .arg(name)
                             .arg(line + 1)
                             .arg(QString::fromUtf8(line < after.size() ? after.at(line) : QByteArray()).trimmed())));
    }
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
