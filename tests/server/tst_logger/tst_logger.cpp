// Logger: tmail's line format, levels, debug filtering, ring buffer and file output.
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "log/logger.h"

namespace {

// "[dev.tmail.io - 127.0.0.1] 2015/02/02 12:42:32.449597 INFO - smtpd 151.80.115.83:2525 launched."
const QRegularExpression LinePattern(QStringLiteral(
    R"(^\[([^\]]+) - ([^\]]+)\] (\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6}) (DEBUG|INFO|WARNING|ERROR) - (.*)$)"));

} // namespace

class TestLogger : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void formatsTheSeedLine();
    void writesLinesInTheSeedFormat();
    void mapsLevelsAndCategories();
    void hidesDebugUnlessEnabled();
    void returnsEntriesAfterAnId();
    void keepsTheLastTenThousandEntries();
    void emitsEntryAdded();
    void keepsLinesWholeAcrossThreads();
    void refusesAnUnwritableDirectory();

private:
    QStringList logLines() const;
    quint64 lastId() const;

    QTemporaryDir m_dir;
};

void TestLogger::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(Logger::instance().setup(
                 QStringLiteral("dev.tmail.io"), QStringLiteral("127.0.0.1"), m_dir.path(), false, &error),
        qPrintable(error));
}

void TestLogger::cleanupTestCase()
{
    qInstallMessageHandler(nullptr);
}

QStringList TestLogger::logLines() const
{
    QFile file(m_dir.filePath(QStringLiteral("tmail.log")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

quint64 TestLogger::lastId() const
{
    const QList<LogEntry> entries = Logger::instance().entriesAfter(0);
    return entries.isEmpty() ? 0 : entries.last().id;
}

void TestLogger::formatsTheSeedLine()
{
    LogEntry entry;
    entry.time = QDateTime(QDate(2015, 2, 2), QTime(12, 42, 32, 449));
    entry.microsecond = 449597;
    entry.level = QStringLiteral("INFO");
    entry.message = QStringLiteral("smtpd 151.80.115.83:2525 launched.");
    QCOMPARE(Logger::instance().format(entry),
        QStringLiteral(
            "[dev.tmail.io - 127.0.0.1] 2015/02/02 12:42:32.449597 INFO - smtpd 151.80.115.83:2525 launched."));

    entry.microsecond = -1; // entries made elsewhere carry milliseconds only
    entry.time = QDateTime(QDate(2015, 2, 2), QTime(1, 2, 3, 7));
    QCOMPARE(Logger::instance().format(entry),
        QStringLiteral(
            "[dev.tmail.io - 127.0.0.1] 2015/02/02 01:02:03.007000 INFO - smtpd 151.80.115.83:2525 launched."));
}

void TestLogger::writesLinesInTheSeedFormat()
{
    const QDateTime before = QDateTime::currentDateTime();
    qCInfo(lcSmtpd) << "smtpd 127.0.0.1:2525 launched.";
    const QStringList lines = logLines();
    QVERIFY(!lines.isEmpty());
    const QRegularExpressionMatch match = LinePattern.match(lines.last());
    QVERIFY2(match.hasMatch(), qPrintable(lines.last()));
    QCOMPARE(match.captured(1), QStringLiteral("dev.tmail.io"));
    QCOMPARE(match.captured(2), QStringLiteral("127.0.0.1"));
    QCOMPARE(match.captured(10), QStringLiteral("INFO"));
    QCOMPARE(match.captured(11), QStringLiteral("smtpd 127.0.0.1:2525 launched."));
    // Local time, close to now.
    const QDateTime logged(QDate(match.captured(3).toInt(), match.captured(4).toInt(), match.captured(5).toInt()),
        QTime(match.captured(6).toInt(), match.captured(7).toInt(), match.captured(8).toInt()));
    QVERIFY2(logged.isValid(), qPrintable(lines.last()));
    QVERIFY(qAbs(logged.secsTo(before)) <= 2);
}

void TestLogger::mapsLevelsAndCategories()
{
    const quint64 start = lastId();
    qCWarning(lcDeliverd, "remote said no");
    qCCritical(lcDb, "database gone");
    qInfo("plain");
    const QList<LogEntry> entries = Logger::instance().entriesAfter(start);
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries.at(0).level, QStringLiteral("WARNING"));
    QCOMPARE(entries.at(0).category, QStringLiteral("tmail.deliverd"));
    QCOMPARE(entries.at(1).level, QStringLiteral("ERROR"));
    QCOMPARE(entries.at(1).category, QStringLiteral("tmail.db"));
    QCOMPARE(entries.at(1).message, QStringLiteral("database gone"));
    QCOMPARE(entries.at(2).level, QStringLiteral("INFO"));
    QVERIFY(logLines().last().endsWith(QLatin1String(" INFO - plain")));
    QVERIFY(logLines().at(logLines().size() - 2).endsWith(QLatin1String(" ERROR - database gone")));
    QCOMPARE(QString::fromLatin1(lcManager().categoryName()), QStringLiteral("tmail.manager"));
    QCOMPARE(QString::fromLatin1(lcMain().categoryName()), QStringLiteral("tmail.main"));
    QCOMPARE(QString::fromLatin1(lcSmtpd().categoryName()), QStringLiteral("tmail.smtpd"));
}

void TestLogger::hidesDebugUnlessEnabled()
{
    const quint64 start = lastId();
    const int linesBefore = int(logLines().size());
    qCDebug(lcSmtpd, "hidden detail");
    QCOMPARE(Logger::instance().entriesAfter(start).size(), 0);
    QCOMPARE(int(logLines().size()), linesBefore);

    QVERIFY(Logger::instance().setup(QStringLiteral("dev.tmail.io"), QStringLiteral("127.0.0.1"), m_dir.path(), true));
    qCDebug(lcSmtpd, "shown detail");
    const QList<LogEntry> entries = Logger::instance().entriesAfter(start);
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().level, QStringLiteral("DEBUG"));
    QVERIFY(logLines().last().endsWith(QLatin1String(" DEBUG - shown detail")));
    QVERIFY(LinePattern.match(logLines().last()).hasMatch());

    QVERIFY(Logger::instance().setup(QStringLiteral("dev.tmail.io"), QStringLiteral("127.0.0.1"), m_dir.path(), false));
}

void TestLogger::returnsEntriesAfterAnId()
{
    const quint64 start = lastId();
    qInfo("one");
    qInfo("two");
    qInfo("three");
    const QList<LogEntry> all = Logger::instance().entriesAfter(start);
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(0).id, start + 1);
    QCOMPARE(all.at(2).id, start + 3);
    const QList<LogEntry> tail = Logger::instance().entriesAfter(start + 1);
    QCOMPARE(tail.size(), 2);
    QCOMPARE(tail.first().message, QStringLiteral("two"));
    QVERIFY(Logger::instance().entriesAfter(start + 3).isEmpty());
    QVERIFY(Logger::instance().entriesAfter(start + 1000).isEmpty());
}

void TestLogger::keepsTheLastTenThousandEntries()
{
    for (int i = 0; i < 10050; ++i)
        qInfo("filler %d", i);
    const QList<LogEntry> all = Logger::instance().entriesAfter(0);
    QCOMPARE(all.size(), 10000);
    QCOMPARE(all.last().message, QStringLiteral("filler 10049"));
    QCOMPARE(all.first().message, QStringLiteral("filler 50"));
    for (int i = 1; i < all.size(); ++i)
        QCOMPARE(all.at(i).id, all.at(i - 1).id + 1);
    // A reader that fell behind gets what is left.
    QCOMPARE(Logger::instance().entriesAfter(1).size(), 10000);
}

void TestLogger::emitsEntryAdded()
{
    QList<LogEntry> received;
    const QMetaObject::Connection connection = connect(
        &Logger::instance(), &Logger::entryAdded, this, [&received](const LogEntry &entry) { received.append(entry); });
    qCWarning(lcManager, "client gone");
    disconnect(connection);
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().message, QStringLiteral("client gone"));
    QCOMPARE(received.first().id, lastId());
}

void TestLogger::keepsLinesWholeAcrossThreads()
{
    const quint64 start = lastId();
    constexpr int Threads = 4;
    constexpr int PerThread = 500;
    QList<QThread *> threads;
    for (int t = 0; t < Threads; ++t)
    {
        threads.append(QThread::create([t] {
            for (int i = 0; i < PerThread; ++i)
                qCInfo(lcSmtpd, "thread %d message %d with some padding to make lines longer", t, i);
        }));
    }
    for (QThread *thread : threads)
        thread->start();
    for (QThread *thread : threads)
    {
        QVERIFY(thread->wait(30000));
        delete thread;
    }
    const QList<LogEntry> entries = Logger::instance().entriesAfter(start);
    QCOMPARE(entries.size(), Threads * PerThread);
    for (int i = 1; i < entries.size(); ++i)
        QCOMPARE(entries.at(i).id, entries.at(i - 1).id + 1);
    const QStringList lines = logLines();
    QVERIFY(lines.size() >= Threads * PerThread);
    for (int i = int(lines.size()) - Threads * PerThread; i < lines.size(); ++i)
        QVERIFY2(LinePattern.match(lines.at(i)).hasMatch(), qPrintable(lines.at(i)));
}

void TestLogger::refusesAnUnwritableDirectory()
{
    QString error;
    QVERIFY(!Logger::instance().setup(
        QStringLiteral("x"), QStringLiteral("y"), m_dir.filePath(QStringLiteral("missing/dir")), false, &error));
    QVERIFY2(error.contains(QLatin1String("tmail.log")), qPrintable(error));
    // The previous output stays in place.
    qInfo("still logging");
    QVERIFY(logLines().last().endsWith(QLatin1String("INFO - still logging")));
}

QTEST_GUILESS_MAIN(TestLogger)
#include "tst_logger.moc"
